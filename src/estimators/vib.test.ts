import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { gradCheck, randomValues } from '../nn/grad-check.js';
import { add, mulScalar } from '../nn/ops-elementwise.js';
import { scope } from '../nn/scope.js';
import { Tensor } from '../nn/tensor.js';
import { ClubEstimator } from './club.js';
import { MineEstimator } from './mine.js';
import { linear64, map64, silu64, toMat64 } from './reference64.js';
import type { Mat64 } from './reference64.js';
import { VibEncoder, klLoss } from './vib.js';

function tensorOf(rng: Random, rows: number, cols: number, scale = 1): Tensor {
  const t = new Tensor(new Float32Array(rows * cols), rows, cols);
  for (let i = 0; i < t.size; i++) t.data[i] = scale * rng.normal();
  return t;
}

/** mean and logvar of q(z | s) in float64 from the encoder's weights. */
function encode64(e: VibEncoder, s: Mat64): { mean: Mat64; logvar: Mat64 } {
  const [l0, l1] = e.trunk.layers;
  const h = map64(linear64(map64(linear64(s, l0!), silu64), l1!), silu64);
  return { mean: linear64(h, e.meanHead), logvar: map64(linear64(h, e.logvarHead), (v) => 4 * Math.tanh(v)) };
}

/** mean over rows of 0.5 * sum_d (exp(lv) + m^2 - 1 - lv), float64. */
function kl64(mean: ArrayLike<number>, logvar: ArrayLike<number>, rows: number): number {
  let s = 0;
  for (let i = 0; i < mean.length; i++) s += 0.5 * (Math.exp(logvar[i]!) + mean[i]! ** 2 - 1 - logvar[i]!);
  return s / rows;
}

test('KL term: hand values and a float64 computation', () => {
  // mean 0, logvar 0 is the prior itself: KL = 0. One row with mean (1, 2), logvar 0:
  // 0.5 (1 + 4) = 2.5 per row. Logvar log 2, mean 0, one dim: 0.5 (2 - 1 - log 2) = 0.1534.
  assert.equal(scope(() => klLoss(new Tensor(new Float32Array(6), 3, 2), new Tensor(new Float32Array(6), 3, 2))).item(), 0);
  const two = scope(() => klLoss(new Tensor(Float32Array.from([1, 2]), 1, 2), new Tensor(new Float32Array(2), 1, 2))).item();
  assert.ok(Math.abs(two - 2.5) < 1e-6, `${two}`);
  const ln2 = scope(() => klLoss(new Tensor(new Float32Array(1), 1, 1), new Tensor(Float32Array.from([Math.LN2]), 1, 1))).item();
  assert.ok(Math.abs(ln2 - 0.5 * (1 - Math.LN2)) < 1e-6, `${ln2}`);

  const rng = new Random(51);
  const r = gradCheck({
    inputs: [
      { rows: 7, cols: 5, values: randomValues(rng, 35, -2, 2) },
      { rows: 7, cols: 5, values: randomValues(rng, 35, -4, 4) },
    ],
    forward: ([m, lv]) => klLoss(m!, lv!),
    reference: ([m, lv]) => [kl64(m!, lv!, 7)],
  }, rng);
  assert.ok(r.forwardError < 1e-6, `forward error ${r.forwardError}`);
  assert.ok(r.gradError < 1e-4, `gradient error ${r.gradError}`);
});

test('encode: mean and logvar match float64, z = mean + eps exp(logvar / 2) with eps from the Random', () => {
  const rng = new Random(52);
  const e = new VibEncoder({ inputDim: 10, hiddenDim: 16, latentDim: 6 }, rng);
  const s = tensorOf(rng, 5, 10, 2);
  const ref = encode64(e, toMat64(s));
  const noise = new Random(7);
  const twin = new Random(7);
  const out = scope(() => e.encode(s, noise));
  for (let i = 0; i < 30; i++) {
    const mean = ref.mean.data[i]!;
    const lv = ref.logvar.data[i]!;
    assert.ok(Math.abs(out.mean.data[i]! - mean) < 1e-5, `mean ${i}`);
    assert.ok(Math.abs(out.logvar.data[i]! - lv) < 1e-5, `logvar ${i}`);
    assert.ok(Math.abs(lv) <= 4);
    // Row-major noise: the twin stream reproduces each eps in order.
    const z = mean + twin.normal() * Math.exp(lv / 2);
    assert.ok(Math.abs(out.z.data[i]! - z) < 1e-4, `z ${i}: ${out.z.data[i]} vs ${z}`);
  }
  // Without sampling z is the mean and the stream is not advanced.
  const before = noise.getState();
  const det = scope(() => e.encode(s, noise, false));
  assert.deepEqual(noise.getState(), before);
  assert.deepEqual(det.z.toArray(), det.mean.toArray());
  assert.throws(() => e.encode(tensorOf(rng, 2, 9), noise), /expects 10/);
});

test('encoder gradient through the reparameterisation matches finite differences (fixed noise)', () => {
  const rng = new Random(53);
  const e = new VibEncoder({ inputDim: 4, hiddenDim: 8, latentDim: 3 }, rng);
  const r = gradCheck({
    inputs: [{ rows: 3, cols: 4, values: randomValues(rng, 12, -2, 2) }],
    // A fresh Random(5) per call: the forward and the reference see the same eps.
    forward: ([s]) => e.encode(s!, new Random(5)).z,
    reference: ([s]) => {
      const { mean, logvar } = encode64(e, { rows: 3, cols: 4, data: s! });
      const eps = new Random(5);
      return mean.data.map((m, i) => m + eps.normal() * Math.exp(logvar.data[i]! / 2));
    },
  }, rng);
  assert.ok(r.forwardError < 1e-5, `forward error ${r.forwardError}`);
  assert.ok(r.gradError < 1e-3, `gradient error ${r.gradError}`);
});

test('gradients of MINE + CLUB + KL losses reach every encoder parameter (chained as in MITRA-VIB)', () => {
  const rng = new Random(54);
  const enc = new VibEncoder({ inputDim: 12, hiddenDim: 16, latentDim: 8 }, rng);
  const mine = new MineEstimator({ zDim: 8, aDim: 4 }, rng);
  const club = new ClubEstimator({ zDim: 8, aDim: 4 }, rng);
  const s = tensorOf(rng, 16, 12);
  const a = tensorOf(rng, 16, 4);
  for (const which of ['mine', 'club'] as const) {
    for (const p of [...enc.parameters(), ...mine.parameters(), ...club.parameters()]) p.zeroGrad();
    scope(() => {
      const { z, mean, logvar } = enc.encode(s, rng);
      const est = which === 'mine' ? mine.loss(z, a) : club.logLikelihoodLoss(z, a);
      add(est, mulScalar(klLoss(mean, logvar), 1e-3)).backward();
    });
    for (const [name, p] of enc.namedParameters()) {
      assert.ok(p.grad!.every(Number.isFinite), `${which}: ${name} has a non-finite gradient`);
      assert.ok(p.grad!.some((g) => g !== 0), `${which}: ${name} got no gradient`);
    }
    for (const p of (which === 'mine' ? mine : club).parameters()) assert.ok(p.grad!.some((g) => g !== 0));
  }
  // The estimator's loss alone (no KL) must also reach the log-variance head: only the
  // reparameterised sample carries it there.
  for (const p of enc.parameters()) p.zeroGrad();
  scope(() => mine.loss(enc.encode(s, rng).z, a).backward());
  assert.ok(enc.logvarHead.weight.grad!.some((g) => g !== 0));
});

test('encoder defaults and parameter names', () => {
  const e = new VibEncoder({ inputDim: 266 }, new Random(55));
  assert.deepEqual(e.namedParameters().map(([n, p]) => `${n}:${p.shapeString}`), [
    'trunk.0.weight:[128, 266]', 'trunk.0.bias:[1, 128]', 'trunk.2.weight:[128, 128]', 'trunk.2.bias:[1, 128]',
    'mean.weight:[64, 128]', 'mean.bias:[1, 64]', 'logvar.weight:[64, 128]', 'logvar.bias:[1, 64]',
  ]);
  assert.equal(e.parameters().length, 8);
});
