/**
 * Gradient checks of the composite objectives of SPEC 3.2, built from the
 * ops exactly as the estimators build them, against float64 re-implementations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../core/random.js';
import { gradCheck, randomValues } from './grad-check.js';
import type { GradCheckInput } from './grad-check.js';
import { add, addScalar, div, exp, leakyRelu, mul, mulScalar, neg, relu, silu, softplus, square, sub, tanh } from './ops-elementwise.js';
import { linear, scoreMatrix } from './ops-linalg.js';
import { mean, sum } from './ops-reduce.js';
import { diag } from './ops-shape.js';
import { Tensor } from './tensor.js';

const LN2 = Math.LN2;

function linear64(x: Float64Array, w: Float64Array, b: Float64Array, rows: number, nIn: number, nOut: number): Float64Array {
  const y = new Float64Array(rows * nOut);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < nOut; o++) {
      let s = b[o]!;
      for (let i = 0; i < nIn; i++) s += x[r * nIn + i]! * w[o * nIn + i]!;
      y[r * nOut + o] = s;
    }
  }
  return y;
}
const sp64 = (x: number): number => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
const silu64 = (x: number): number => x / (1 + Math.exp(-x));

function inputs(rng: Random, shapes: [number, number][]): GradCheckInput[] {
  return shapes.map(([rows, cols]) => ({ rows, cols, values: randomValues(rng, rows * cols, -1, 1) }));
}

function assertOk(name: string, r: ReturnType<typeof gradCheck>): void {
  assert.ok(r.forwardError < 1e-5, `${name}: forward error ${r.forwardError}`);
  assert.ok(r.gradError < 1e-4, `${name}: gradient error ${r.gradError} (${r.perInput.join(', ')})`);
}

test("MINE's Jensen-Shannon loss: gradient matches finite differences", () => {
  const n = 6, dz = 4, da = 3, e = 5;
  const rng = new Random(21);
  // z, a, then the two embedding layers (weight [e, in], bias [1, e]).
  const ins = inputs(rng, [[n, dz], [n, da], [e, dz], [1, e], [e, da], [1, e]]);
  const r = gradCheck({
    inputs: ins,
    forward: ([z, a, wz, bz, wa, ba]) => {
      const embZ = leakyRelu(linear(z!, wz!, bz!));
      const embA = leakyRelu(linear(a!, wa!, ba!));
      const u = scoreMatrix(embA, embZ); // u[i][j] = <embA_i, embZ_j>
      const eNeg = addScalar(add(softplus(neg(u)), u), -LN2);
      const offMean = mulScalar(sub(sum(eNeg, 1), diag(eNeg)), 1 / (n - 1));
      const ePos = addScalar(neg(softplus(neg(diag(u)))), LN2);
      return mean(sub(offMean, ePos));
    },
    reference: ([z, a, wz, bz, wa, ba]) => {
      const lr = (v: number): number => (v > 0 ? v : 0.01 * v);
      const ez = linear64(z!, wz!, bz!, n, dz, e).map(lr);
      const ea = linear64(a!, wa!, ba!, n, da, e).map(lr);
      let total = 0;
      for (let i = 0; i < n; i++) {
        let negSum = 0;
        let pos = 0;
        for (let j = 0; j < n; j++) {
          let u = 0;
          for (let k = 0; k < e; k++) u += ea[i * e + k]! * ez[j * e + k]!;
          if (i === j) pos = LN2 - sp64(-u);
          else negSum += sp64(-u) + u - LN2;
        }
        total += negSum / (n - 1) - pos;
      }
      return [total / n];
    },
  }, rng);
  assertOk('MINE', r);
});

/** CLUB's Gaussian q(a|z): mean net and tanh log-variance net, one ReLU hidden layer each. */
function clubNets(z: Tensor, p: Tensor[]): { mu: Tensor; logvar: Tensor } {
  const [w1, b1, w2, b2, w3, b3, w4, b4] = p;
  return {
    mu: linear(relu(linear(z, w1!, b1!)), w2!, b2!),
    logvar: tanh(linear(relu(linear(z, w3!, b3!)), w4!, b4!)),
  };
}

function clubNets64(z: Float64Array, p: Float64Array[], n: number, dz: number, h: number, da: number): { mu: Float64Array; logvar: Float64Array } {
  const [w1, b1, w2, b2, w3, b3, w4, b4] = p;
  const r = (v: number): number => Math.max(v, 0);
  return {
    mu: linear64(linear64(z, w1!, b1!, n, dz, h).map(r), w2!, b2!, n, h, da),
    logvar: linear64(linear64(z, w3!, b3!, n, dz, h).map(r), w4!, b4!, n, h, da).map(Math.tanh),
  };
}

const CLUB_SHAPES = (dz: number, h: number, da: number): [number, number][] => [[h, dz], [1, h], [da, h], [1, da], [h, dz], [1, h], [da, h], [1, da]];

test("CLUB's Gaussian log-likelihood: gradient matches finite differences", () => {
  const n = 5, dz = 4, h = 6, da = 3;
  const rng = new Random(22);
  const r = gradCheck({
    inputs: inputs(rng, [[n, dz], [n, da], ...CLUB_SHAPES(dz, h, da)]),
    // mean over the batch of sum_d [ -(mu - a)^2 / exp(logvar) - logvar ]  (CLUB's loglikeli)
    forward: ([z, a, ...p]) => {
      const { mu, logvar } = clubNets(z!, p);
      return mean(sum(sub(neg(div(square(sub(mu, a!)), exp(logvar))), logvar), 1));
    },
    reference: ([z, a, ...p]) => {
      const { mu, logvar } = clubNets64(z!, p, n, dz, h, da);
      let s = 0;
      for (let i = 0; i < n * da; i++) s += -((mu[i]! - a![i]!) ** 2) / Math.exp(logvar[i]!) - logvar[i]!;
      return [s / n];
    },
  }, rng);
  assertOk('CLUB log-likelihood', r);
});

test("CLUB's upper bound I-: gradient matches finite differences", () => {
  const n = 5, dz = 4, h = 6, da = 3;
  const rng = new Random(23);
  const r = gradCheck({
    inputs: inputs(rng, [[n, dz], [n, da], ...CLUB_SHAPES(dz, h, da)]),
    // I-_i = sum_d [ -(mu_i - a_i)^2 + mean_j (a_j - mu_i)^2 ] / (2 var_i), with
    // mean_j (a_j - mu_i)^2 = mean_j a_j^2 - 2 mu_i mean_j a_j + mu_i^2 (row-vector broadcasts).
    forward: ([z, a, ...p]) => {
      const { mu, logvar } = clubNets(z!, p);
      const twoVar = mulScalar(exp(logvar), 2);
      const pos = neg(square(sub(mu, a!)));
      const negTerm = add(sub(mean(square(a!), 0), mul(mulScalar(mu, 2), mean(a!, 0))), square(mu));
      return sum(div(add(pos, negTerm), twoVar), 1);
    },
    reference: ([z, a, ...p]) => {
      const { mu, logvar } = clubNets64(z!, p, n, dz, h, da);
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let d = 0; d < da; d++) {
          const m = mu[i * da + d]!;
          const v2 = 2 * Math.exp(logvar[i * da + d]!);
          let negMean = 0;
          for (let j = 0; j < n; j++) negMean += (a![j * da + d]! - m) ** 2 / n;
          s += (-((m - a![i * da + d]!) ** 2) + negMean) / v2;
        }
        out.push(s);
      }
      return out;
    },
  }, rng);
  assertOk('CLUB upper bound', r);
});

/** VIB encoder: s -> h (SiLU) -> h (SiLU) -> mean and logvar = 4 tanh(.), as SPEC 3.2 with small sizes. */
const VIB = { n: 4, ds: 5, h: 6, dz: 3 };
const VIB_SHAPES: [number, number][] = [[VIB.n, VIB.ds], [VIB.h, VIB.ds], [1, VIB.h], [VIB.h, VIB.h], [1, VIB.h], [VIB.dz, VIB.h], [1, VIB.dz], [VIB.dz, VIB.h], [1, VIB.dz]];

function vib(xs: Tensor[], eps: Tensor): { z: Tensor; kl: Tensor } {
  const [s, w1, b1, w2, b2, wm, bm, wv, bv] = xs;
  const hid = silu(linear(silu(linear(s!, w1!, b1!)), w2!, b2!));
  const mu = linear(hid, wm!, bm!);
  const logvar = mulScalar(tanh(linear(hid, wv!, bv!)), 4);
  const z = add(mu, mul(eps, exp(mulScalar(logvar, 0.5))));
  const kl = mulScalar(sum(sub(sub(add(exp(logvar), square(mu)), logvar), tensor1(1))), 0.5);
  return { z, kl };
}
const tensor1 = (v: number): Tensor => new Tensor(Float32Array.of(v), 1, 1);

function vib64(xs: Float64Array[], eps: Float64Array): { z: number[]; kl: number } {
  const [s, w1, b1, w2, b2, wm, bm, wv, bv] = xs;
  const { n, ds, h, dz } = VIB;
  const hid = linear64(linear64(s!, w1!, b1!, n, ds, h).map(silu64), w2!, b2!, n, h, h).map(silu64);
  const mu = linear64(hid, wm!, bm!, n, h, dz);
  const logvar = linear64(hid, wv!, bv!, n, h, dz).map((v) => 4 * Math.tanh(v));
  const z = Array.from(mu, (m, i) => m + eps[i]! * Math.exp(logvar[i]! / 2));
  let kl = 0;
  for (let i = 0; i < mu.length; i++) kl += Math.exp(logvar[i]!) + mu[i]! ** 2 - 1 - logvar[i]!;
  return { z, kl: 0.5 * kl };
}

test('VIB KL term and reparameterised sample: gradients match finite differences', () => {
  const rng = new Random(24);
  const ins = inputs(rng, VIB_SHAPES);
  const epsValues = Float64Array.from({ length: VIB.n * VIB.dz }, () => Math.fround(rng.normal()));
  const eps = new Tensor(Float32Array.from(epsValues), VIB.n, VIB.dz);
  assertOk('VIB KL', gradCheck({ inputs: ins, forward: (xs) => vib(xs, eps).kl, reference: (xs) => [vib64(xs, epsValues).kl] }, rng));
  assertOk('VIB z', gradCheck({ inputs: ins, forward: (xs) => vib(xs, eps).z, reference: (xs) => vib64(xs, epsValues).z }, rng));
});
