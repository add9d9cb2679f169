import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from './random.js';

test('same seed gives the same stream; different seeds differ', () => {
  const a = new Random(42), b = new Random(42), c = new Random(43);
  const xa = Array.from({ length: 100 }, () => a.nextUint32());
  const xb = Array.from({ length: 100 }, () => b.nextUint32());
  const xc = Array.from({ length: 100 }, () => c.nextUint32());
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, xc);
});

test('uniform mean and variance are those of U(0,1)', () => {
  // For U(0,1): mean 1/2, variance 1/12. With n = 200000 the standard error of
  // the mean is sqrt(1/12/n) ~ 6.5e-4, so 0.005 is > 7 standard errors.
  const r = new Random(7);
  const n = 200000;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) { const x = r.next(); s += x; s2 += x * x; }
  const mean = s / n;
  assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(s2 / n - mean * mean - 1 / 12) < 0.002);
});

test('normal has mean 0 and variance 1', () => {
  const r = new Random(9);
  const n = 200000;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) { const x = r.normal(); s += x; s2 += x * x; }
  assert.ok(Math.abs(s / n) < 0.01);
  assert.ok(Math.abs(s2 / n - 1) < 0.02);
});

test('state save and restore continues the stream exactly', () => {
  const r = new Random(3);
  for (let i = 0; i < 11; i++) r.normal();
  const st = r.getState();
  const after = Array.from({ length: 20 }, () => r.normal());
  const r2 = new Random(999);
  r2.setState(st);
  assert.deepEqual(Array.from({ length: 20 }, () => r2.normal()), after);
});

test('forks are deterministic and independent by name', () => {
  const a = new Random(5).fork('env'), b = new Random(5).fork('env'), c = new Random(5).fork('noise');
  const xa = a.nextUint32(), xb = b.nextUint32(), xc = c.nextUint32();
  assert.equal(xa, xb);
  assert.notEqual(xa, xc);
});

test('int stays in range and hits every value', () => {
  const r = new Random(1);
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) { const k = r.int(7); assert.ok(k >= 0 && k < 7); seen.add(k); }
  assert.equal(seen.size, 7);
});
