import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricsSeries, RunInfo } from './shared/api-types.js';
import { createDashboardApp } from './app.js';
import { tempDir } from './fixtures.js';

const MITRA = fileURLToPath(new URL('../../../bin/mitra.js', import.meta.url));

test('a run being trained by another process is read throughout without a server error', async () => {
  const root = tempDir();
  const { app, hub } = createDashboardApp({ runsDir: root, webDir: null });
  const child = spawn(process.execPath, [MITRA, 'train', '--algo', 'maddpg', '--scenario', 'fig1-2cs-4es-9ud', '--episodes', '600', '--out', join(root, 'live'),
    '--set', 'batchSize=32', '--set', 'learningStarts=32', '--set', 'updateEvery=5', '--set', 'checkpointEvery=50', '--set', 'finalEvalEpisodes=5'], { stdio: 'ignore' });
  let exited = false;
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => ((exited = true), resolve(code))));
  const statuses = new Map<string, Set<number>>();
  const note = (what: string, status: number): void => {
    if (!statuses.has(what)) statuses.set(what, new Set());
    statuses.get(what)!.add(status);
  };
  // Poll every endpoint while the child writes (bounded: at most 2000 rounds).
  for (let round = 0; round < 2000 && !exited; round++) {
    note('runs', (await app.request('/api/runs')).status);
    note('run', (await app.request('/api/runs/live')).status);
    note('metrics', (await app.request('/api/runs/live/metrics?keys=train/avgCost')).status);
    note('topology', (await app.request('/api/runs/live/topology')).status);
    if (round % 10 === 0) note('replay', (await app.request('/api/runs/live/replay?episodes=1')).status);
    hub.tick();
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(await done, 0);
  // Before config.json exists a run is 404; before its first checkpoint a replay is 409; nothing else is allowed.
  const allowed: Record<string, number[]> = { runs: [200], run: [200, 404], metrics: [200, 404], topology: [200, 404], replay: [200, 404, 409] };
  for (const [what, set] of statuses) for (const s of set) assert.ok(allowed[what]!.includes(s), `${what} answered ${s}`);
  const info = (await (await app.request('/api/runs/live')).json()) as RunInfo;
  assert.equal(info.status, 'finished');
  assert.equal(info.episodesDone, 600);
  const m = (await (await app.request('/api/runs/live/metrics?keys=train/avgCost&max=100000')).json()) as MetricsSeries;
  assert.equal(m.total, 600);
  assert.deepEqual(m.episode, Array.from({ length: 600 }, (_, i) => i));
  hub.close();
});
