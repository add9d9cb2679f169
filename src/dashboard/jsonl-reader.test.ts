import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forEachJsonl, JsonlTail, readLastRow } from './jsonl-reader.js';
import { tempDir } from './fixtures.js';

const rows = (path: string, from = 0): Record<string, unknown>[] => {
  const out: Record<string, unknown>[] = [];
  forEachJsonl(path, (r) => out.push(r), from);
  return out;
};

test('complete lines are read, a torn last line and corrupt lines are skipped, a missing file is empty', () => {
  const p = join(tempDir(), 'm.jsonl');
  assert.deepEqual(rows(p), []);
  assert.deepEqual(readLastRow(p), { row: null, end: 0 });
  writeFileSync(p, '{"episode":0}\nnot json\n{"episode":1}\n{"episo');
  assert.deepEqual(rows(p), [{ episode: 0 }, { episode: 1 }]);
  // The last complete line ends at byte 14 + 9 + 14 = 37 ('{"episode":0}\n' is 14 bytes, 'not json\n' 9).
  assert.deepEqual(readLastRow(p), { row: { episode: 1 }, end: 37 });
});

test('lines spanning the 1 MiB read chunks are reassembled', () => {
  const p = join(tempDir(), 'big.jsonl');
  const pad = 'x'.repeat(3000);
  const n = 1000; // ~3 MB: several chunk boundaries fall inside lines
  writeFileSync(p, Array.from({ length: n }, (_, i) => `${JSON.stringify({ episode: i, pad })}\n`).join(''));
  const got = rows(p);
  assert.equal(got.length, n);
  got.forEach((r, i) => assert.equal(r['episode'], i));
  assert.equal(readLastRow(p).row?.['episode'], n - 1);
});

test('the tail returns only appended complete rows, and resets when the file shrinks', () => {
  const p = join(tempDir(), 't.jsonl');
  writeFileSync(p, '{"episode":0}\n');
  const tail = new JsonlTail(p);
  assert.deepEqual(tail.poll(), { rows: [], reset: false });
  appendFileSync(p, '{"episode":1}\n{"epi');
  assert.deepEqual(tail.poll(), { rows: [{ episode: 1 }], reset: false });
  appendFileSync(p, 'sode":2}\n');
  assert.deepEqual(tail.poll(), { rows: [{ episode: 2 }], reset: false });
  writeFileSync(p, '{"episode":0}\n'); // a resumed run truncated its log
  assert.deepEqual(tail.poll(), { rows: [], reset: true });
  appendFileSync(p, '{"episode":1}\n');
  assert.deepEqual(tail.poll(), { rows: [{ episode: 1 }], reset: false });
});
