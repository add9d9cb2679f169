import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '../core/random.js';
import { Adam } from './adam.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { MLP, clipGradNorm } from './layers.js';
import { mse } from './ops-reduce.js';
import { loadSafetensors } from './safetensors.js';
import { scope } from './scope.js';
import { fromArray } from './tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'checkpoint-test-'));

function setup(seed: number): { net: MLP; opt: Adam } {
  const net = new MLP({ sizes: [3, 16, 16, 2], activation: 'relu', outputActivation: 'tanh' }, new Random(seed));
  return { net, opt: new Adam(net.parameters(), { lr: 3e-3, weightDecay: 1e-4 }) };
}

/** Deterministic batches: batch i is drawn from its own stream. */
function train(net: MLP, opt: Adam, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const rng = new Random(1000 + i);
    const x = fromArray(new Float32Array(32 * 3).map(() => rng.uniform(-1, 1)), 32, 3);
    const y = fromArray(new Float32Array(32 * 2).map(() => rng.uniform(-0.9, 0.9)), 32, 2);
    scope(() => {
      opt.zeroGrad();
      mse(net.forward(x), y).backward();
      clipGradNorm(net.parameters(), 0.5);
      opt.step();
    });
  }
}

test('save -> load -> continue training equals uninterrupted training bit for bit', () => {
  const a = setup(1);
  train(a.net, a.opt, 0, 20);

  const b = setup(1);
  train(b.net, b.opt, 0, 8);
  const path = join(dir, 'resume.safetensors');
  saveCheckpoint(path, { modules: { actor: b.net }, optimizers: { actor: b.opt }, metadata: { episode: '8' } });

  const c = setup(99); // different initial weights: everything must come from the file
  const meta = loadCheckpoint(path, { modules: { actor: c.net }, optimizers: { actor: c.opt } });
  assert.equal(meta['episode'], '8');
  assert.equal(c.opt.steps, 8);
  train(c.net, c.opt, 8, 20);
  c.net.parameters().forEach((p, i) => assert.deepEqual(p.data, a.net.parameters()[i]!.data, `parameter ${i}`));
});

test('checkpoint names and shapes look like a torch state_dict', () => {
  const { net, opt } = setup(2);
  const path = join(dir, 'names.safetensors');
  saveCheckpoint(path, { modules: { critic: net }, optimizers: { critic: opt } });
  const { tensors, metadata } = loadSafetensors(path);
  assert.deepEqual(tensors.get('critic.0.weight')!.shape, [16, 3]);
  assert.deepEqual(tensors.get('critic.0.bias')!.shape, [16]);
  assert.deepEqual(tensors.get('optim.critic.m.critic.4.weight')!.shape, [2, 16]);
  assert.equal(metadata['optim.critic.step'], '0');
});

test('loading into a differently shaped model is a one-line error and changes nothing', () => {
  const { net } = setup(3);
  const path = join(dir, 'shape.safetensors');
  saveCheckpoint(path, { modules: { actor: net } });
  const other = new MLP({ sizes: [3, 8, 2] }, new Random(4));
  const before = other.parameters().map((p) => p.toArray());
  assert.throws(() => loadCheckpoint(path, { modules: { actor: other } }), /shape\.safetensors: tensor actor\.0\.weight has shape \[16, 3\], expected \[8, 3\]/);
  assert.deepEqual(other.parameters().map((p) => p.toArray()), before);
});
