import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonl, scanLines, truncateJsonl } from './jsonl.js';
import { isUserError } from '../core/errors.js';

test('scanLines hands out complete lines across chunk boundaries and reports a torn tail', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-jsonl-'));
  const path = join(dir, 'log.jsonl');
  // Lines of ~300 KB so that several cross the 1 MiB read chunks; one multi-byte character each.
  const lines = Array.from({ length: 9 }, (_, i) => JSON.stringify({ episode: i, pad: 'é'.repeat(150_000 + i) }));
  writeFileSync(path, `${lines.join('\n')}\n{"episode": 9, "to`);
  const seen: string[] = [];
  const r = scanLines(path, (l) => { seen.push(l); });
  assert.deepEqual(seen, lines);
  assert.equal(r.torn, true);
  assert.equal(r.end, Buffer.byteLength(`${lines.join('\n')}\n`));
  assert.deepEqual(readJsonl(path).map((x) => x['episode']), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  // Stopping early: end is just past the third line.
  let n = 0;
  const stopped = scanLines(path, () => ++n < 3);
  assert.equal(stopped.end, Buffer.byteLength(`${lines.slice(0, 3).join('\n')}\n`));
  rmSync(dir, { recursive: true, force: true });
});

test('truncateJsonl keeps exactly the recorded lines, and refuses a log shorter than recorded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-jsonl-'));
  const path = join(dir, 'm.jsonl');
  writeFileSync(path, '{"episode":0}\n{"episode":1}\n{"episode":2}\n');
  appendFileSync(path, '{"episode":3,"tor');
  truncateJsonl(path, 2);
  assert.equal(readFileSync(path, 'utf8'), '{"episode":0}\n{"episode":1}\n');
  truncateJsonl(path, 2); // already that long: unchanged
  assert.equal(readFileSync(path, 'utf8'), '{"episode":0}\n{"episode":1}\n');
  assert.throws(() => truncateJsonl(path, 5), (e: unknown) => isUserError(e) && /fewer than the 5 complete lines/.test(e.message));
  truncateJsonl(path, 0);
  assert.equal(readFileSync(path, 'utf8'), '');
  truncateJsonl(join(dir, 'missing.jsonl'), 0);
  assert.equal(readFileSync(join(dir, 'missing.jsonl'), 'utf8'), '');
  rmSync(dir, { recursive: true, force: true });
});
