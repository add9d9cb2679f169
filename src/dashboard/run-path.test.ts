import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpError } from './http-error.js';
import { checkRunId, isInside, resolveRunDir, safeFile } from './run-path.js';
import { fakeRun, tempDir } from './fixtures.js';

function status(fn: () => unknown): number | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof HttpError) return err.status;
    throw err;
  }
}

test('malformed run ids are 400', () => {
  for (const id of ['', '..', '../etc', 'a/../../b', '/etc/passwd', 'a\\..\\b', 'a//b', './a', 'a/.', '.hidden', 'a/.git', 'C:/x', 'a\u0000b', 'x'.repeat(600)]) {
    assert.equal(status(() => checkRunId(id)), 400, JSON.stringify(id));
  }
  for (const id of ['run1', 'sweep/maddpg-s0', 'a b', 'a..b']) assert.equal(status(() => checkRunId(id)), 'ok', id);
});

test('isInside compares whole path segments', () => {
  assert.ok(isInside('/a/runs', '/a/runs/x'));
  assert.ok(!isInside('/a/runs', '/a/runs2/x'));
  assert.ok(!isInside('/a/runs', '/a'));
});

test('resolveRunDir finds runs, nested ones too, and 404s the rest', () => {
  const root = tempDir();
  fakeRun(join(root, 'r1'), 1);
  fakeRun(join(root, 'sweep', 'r2'), 1);
  mkdirSync(join(root, 'notarun'));
  assert.equal(status(() => resolveRunDir(root, 'r1')), 'ok');
  assert.equal(status(() => resolveRunDir(root, 'sweep/r2')), 'ok');
  assert.equal(status(() => resolveRunDir(root, 'notarun')), 404);
  assert.equal(status(() => resolveRunDir(root, 'nope')), 404);
  assert.equal(status(() => resolveRunDir(join(root, 'missing-root'), 'r1')), 404);
});

test('symbolic links leading out of the runs folder are refused; links inside are followed', () => {
  const root = tempDir();
  const outside = tempDir('mitra-outside-');
  fakeRun(outside, 1);
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  fakeRun(join(root, 'real'), 1);
  symlinkSync(outside, join(root, 'escape'));
  symlinkSync(join(root, 'real'), join(root, 'alias'));
  assert.equal(status(() => resolveRunDir(root, 'escape')), 404);
  assert.equal(status(() => resolveRunDir(root, 'alias')), 'ok');
  // A file inside a run that links out reads as missing.
  symlinkSync(join(outside, 'secret.txt'), join(root, 'real', 'eval.jsonl'));
  assert.equal(safeFile(root, join(root, 'real'), 'eval.jsonl'), null);
  assert.notEqual(safeFile(root, join(root, 'real'), 'metrics.jsonl'), null);
});
