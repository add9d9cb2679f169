import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '../core/errors.js';
import { DsMecEnv } from './env.js';
import { loadScenarioFile } from './scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'mitra-trace-'));

const SCENARIO = `
slotsPerEpisode: 2
terminateOnDeadlineMiss: false
domains: [{ id: d1 }]
servers: [{ id: es1, kind: edge, domain: d1, capacity: 10 }]
devices: [{ id: a, domain: d1, capacity: 1 }, { id: b, domain: d1, capacity: 1 }]
tasks: { meanWork: [3, 3], deadline: [2, 2], trace: tasks.csv }
links: { latency: [[0.1], [0.1]] }
`;

// Two episodes x two slots x two devices, rows deliberately out of order.
const TRACE = `episode,slot,device,work,deadline,sensitive
0,0,a,1.5,2.0,0
0,0,b,2.5,3.0,1
0,1,b,4.5,5.0,0
0,1,a,3.5,4.0,true
1,0,a,11,12,0
1,0,b,13,14,0
1,1,a,15,16,1
1,1,b,17,18,0
`;

test('trace replay gives exactly the trace tasks, episode after episode', () => {
  writeFileSync(join(dir, 'tasks.csv'), TRACE);
  writeFileSync(join(dir, 'scenario.yaml'), SCENARIO);
  const env = new DsMecEnv(loadScenarioFile(join(dir, 'scenario.yaml')));
  const seen: number[][] = [];
  for (let e = 0; e < 3; e++) {
    env.resetRaw(100 + e); // seeds must not matter for replay
    let done = false;
    while (!done) {
      done = env.stepRaw(Int32Array.of(-1, -1), Float32Array.of(0, 0));
      const r = env.lastSlot();
      seen.push([e, r.slot, r.work[0], r.deadline[0], r.sensitive[0], r.work[1], r.deadline[1], r.sensitive[1]]);
    }
  }
  assert.deepEqual(seen, [
    [0, 0, 1.5, 2.0, 0, 2.5, 3.0, 1],
    [0, 1, 3.5, 4.0, 1, 4.5, 5.0, 0],
    [1, 0, 11, 12, 0, 13, 14, 0],
    [1, 1, 15, 16, 1, 17, 18, 0],
    // Episode 2 of the env replays trace episode 2 mod 2 = 0.
    [2, 0, 1.5, 2.0, 0, 2.5, 3.0, 1],
    [2, 1, 3.5, 4.0, 1, 4.5, 5.0, 0],
  ]);
});

test('a trace missing a task is rejected with its file and the gap', () => {
  const sub = mkdtempSync(join(dir, 'gap-'));
  writeFileSync(join(sub, 'tasks.csv'), TRACE.split('\n').filter((l) => !l.startsWith('1,1,b')).join('\n'));
  writeFileSync(join(sub, 'scenario.yaml'), SCENARIO);
  assert.throws(() => loadScenarioFile(join(sub, 'scenario.yaml')), (err: Error) =>
    isUserError(err) && err.message.includes('tasks.csv') && /no task for episode 1 slot 1 device b/.test(err.message));
});

test('a trace row with a bad value names the line', () => {
  const sub = mkdtempSync(join(dir, 'bad-'));
  writeFileSync(join(sub, 'tasks.csv'), TRACE.replace('0,1,b,4.5', '0,1,b,-4.5'));
  writeFileSync(join(sub, 'scenario.yaml'), SCENARIO);
  assert.throws(() => loadScenarioFile(join(sub, 'scenario.yaml')), (err: Error) =>
    isUserError(err) && /tasks\.csv:4: work must be a finite number > 0/.test(err.message));
});
