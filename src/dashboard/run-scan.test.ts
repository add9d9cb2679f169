import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STALL_MS, runStatus } from './run-scan.js';

test('run status from summary.json and the age of metrics.jsonl', () => {
  const now = 10_000_000;
  const finished = { status: 'finished' };
  // No summary yet, log written a second ago: training.
  assert.equal(runStatus(null, null, now - 1000, now), 'running');
  // No summary and a log silent for longer than STALL_MS: a killed run.
  assert.equal(runStatus(null, null, now - STALL_MS - 1, now), 'stalled');
  // A summary newer than the log: the summary's status.
  assert.equal(runStatus(finished, now - 10, now - 20, now), 'finished');
  // A summary older than the log: a resumed run, live or stalled by the log's age.
  assert.equal(runStatus(finished, now - 5000, now - 100, now), 'running');
  assert.equal(runStatus(finished, now - 3 * STALL_MS, now - 2 * STALL_MS, now), 'stalled');
  assert.equal(runStatus({ status: 'weird' }, now, now - 1, now), 'unknown');
});
