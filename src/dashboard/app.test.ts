import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricsSeries, Replay, RunInfo, Topology } from './shared/api-types.js';
import { createDashboardApp } from './app.js';
import { fakeRun, tempDir, tinyRun } from './fixtures.js';

let root = '';
let app: ReturnType<typeof createDashboardApp>['app'];

before(async () => {
  root = tempDir();
  await tinyRun(join(root, 'maddpg-s0'));
  fakeRun(join(root, 'sweep', 'live'), 3);
  ({ app } = createDashboardApp({ runsDir: root, webDir: null }));
});

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as T };
}

/** Every file under `dir` with its size and modification time, to show nothing was written. */
function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${p} ${statSync(p).size} ${statSync(p).mtimeMs}`);
    }
  };
  walk(dir);
  return out.join('\n');
}

test('the run list shows a finished real run and a running hand-written one', async () => {
  const { status, body } = await get<{ runs: RunInfo[] }>('/api/runs');
  assert.equal(status, 200);
  assert.deepEqual(body.runs.map((r) => r.id), ['maddpg-s0', 'sweep/live']);
  const real = body.runs[0]!;
  const summary = JSON.parse(readFileSync(join(root, 'maddpg-s0', 'summary.json'), 'utf8')) as { final: { metrics: Record<string, { mean: number }> } };
  assert.equal(real.algo, 'maddpg');
  assert.equal(real.scenario, 'fig1-2cs-4es-9ud');
  assert.equal(real.status, 'finished');
  assert.equal(real.episodesDone, 20);
  assert.equal(real.finalSuccess, summary.final.metrics['taskSuccessRate']!.mean);
  assert.equal(real.finalCost, summary.final.metrics['avgCost']!.mean);
  const live = body.runs[1]!;
  assert.equal(live.status, 'running'); // no summary.json
  assert.equal(live.episodesDone, 3);
  assert.equal(live.lastCost, 8); // train/avgCost of episode 2 is 10 - 2
});

test('a summary older than the metrics means the run was resumed and is running again', async () => {
  const dir = join(root, 'resumed');
  fakeRun(dir, 2);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ status: 'stopped' }));
  const t = Date.now() / 1000;
  utimesSync(join(dir, 'summary.json'), t - 100, t - 100);
  utimesSync(join(dir, 'metrics.jsonl'), t, t);
  assert.equal((await get<RunInfo>('/api/runs/resumed')).body.status, 'running');
  utimesSync(join(dir, 'summary.json'), t + 1, t + 1);
  assert.equal((await get<RunInfo>('/api/runs/resumed')).body.status, 'stopped');
});

test('metrics come back as columns equal to the file, downsampled on request', async () => {
  const lines = readFileSync(join(root, 'maddpg-s0', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
  const all = await get<MetricsSeries>('/api/runs/maddpg-s0/metrics?keys=train/avgCost,loss/none');
  assert.equal(all.status, 200);
  assert.equal(all.body.total, 20);
  assert.deepEqual(all.body.series['train/avgCost'], lines.map((r) => r['train/avgCost']));
  assert.deepEqual(all.body.series['loss/none'], lines.map(() => null));
  assert.ok(all.body.keys.includes('train/taskSuccessRate'));
  // max=5 over 20 rows: stride ceil(20/5) = 4 keeps rows 0, 4, 8, 12, 16, plus the last row 19.
  const few = await get<MetricsSeries>('/api/runs/maddpg-s0/metrics?keys=train/avgCost&max=5');
  assert.equal(few.body.stride, 4);
  assert.deepEqual(few.body.episode, [0, 4, 8, 12, 16, 19]);
  const ev = await get<MetricsSeries>('/api/runs/maddpg-s0/metrics?source=eval&keys=eval/avgCost');
  assert.equal(ev.body.total, 1); // evalEvery 1000 > 20 episodes: only the end-of-training evaluation
});

test('a log being written (torn last line) or missing never breaks the API', async () => {
  const dir = join(root, 'torn');
  fakeRun(dir, 4);
  appendFileSync(join(dir, 'metrics.jsonl'), '{"episode":4,"train/avg');
  const r = await get<MetricsSeries>('/api/runs/torn/metrics');
  assert.equal(r.status, 200);
  assert.equal(r.body.total, 4);
  assert.equal((await get<RunInfo>('/api/runs/torn')).body.episodesDone, 4);
  const bare = join(root, 'bare');
  mkdirSync(bare);
  writeFileSync(join(bare, 'config.json'), '{"algo":"maddpg"}');
  const m = await get<MetricsSeries>('/api/runs/bare/metrics');
  assert.equal(m.status, 200);
  assert.equal(m.body.total, 0);
  // A half-written config.json: not a run (yet).
  writeFileSync(join(bare, 'config.json'), '{"algo":');
  assert.equal((await get<{ error: string }>('/api/runs/bare')).status, 404);
});

test('path traversal and malformed requests get 4xx JSON errors', async () => {
  const cases: [string, number][] = [
    ['/api/runs/..%2F..%2Fetc/config', 400],
    ['/api/runs/..%2F..%2Fetc%2Fpasswd/metrics', 400],
    // The URL standard turns %2e%2e into '..' and removes it before routing: /api/config, no such path.
    ['/api/runs/%2e%2e/config', 404],
    ['/api/runs/%2Fetc%2Fpasswd/config', 400],
    ['/api/runs/maddpg-s0%2F..%2F..%2F..%2Fetc/config', 400],
    ['/api/runs/..%5C..%5Cetc/config', 400],
    ['/api/runs/nope/config', 404],
    ['/api/runs/maddpg-s0/metrics?max=abc', 400],
    ['/api/runs/maddpg-s0/metrics?max=1', 400],
    ['/api/runs/maddpg-s0/metrics?source=passwd', 400],
    ['/api/runs/maddpg-s0/replay?episodes=1000', 400],
    ['/api/presets/..%2F..%2Fetc%2Fpasswd/topology', 404],
    ['/api/presets/nope/topology', 404],
    ['/api/presets/fig1-2cs-4es-9ud/replay?policy=rm', 400],
    ['/api/nothing', 404],
  ];
  for (const [path, code] of cases) {
    const res = await app.request(path);
    assert.equal(res.status, code, path);
    const body = (await res.json()) as { error?: unknown };
    assert.equal(typeof body.error, 'string', path);
  }
  const post = await app.request('/api/runs', { method: 'POST' });
  assert.equal(post.status, 405);
});

test('topology from a run config and from a preset: 4 domains, 6 servers, 9 devices', async () => {
  for (const path of ['/api/runs/maddpg-s0/topology', '/api/presets/fig1-2cs-4es-9ud/topology']) {
    const { status, body } = await get<Topology>(path);
    assert.equal(status, 200, path);
    assert.deepEqual([body.domains.length, body.servers.length, body.devices.length], [4, 6, 9], path);
    assert.deepEqual(body.servers.map((s) => s.kind), ['edge', 'edge', 'edge', 'edge', 'cloud', 'cloud']);
  }
});

test('a run replay matches the final evaluation in summary.json and writes nothing', async () => {
  const dir = join(root, 'maddpg-s0');
  // A leftover temporary checkpoint: the training loader would delete it; the dashboard must not.
  mkdirSync(join(dir, 'checkpoints', '.tmp-ep-000000099-1'));
  const before = snapshot(dir);
  const { status, body } = await get<Replay>('/api/runs/maddpg-s0/replay?episodes=5');
  assert.equal(status, 200);
  assert.equal(snapshot(dir), before);
  assert.equal(body.checkpoint, 'ep-000000020');
  assert.equal(body.episodes.length, 5);
  for (const ep of body.episodes) {
    for (const s of ep.slots) {
      assert.equal(s.server.length, 9);
      assert.equal(s.backlog.length, 6);
      for (let i = 0; i < 9; i++) assert.equal(s.success[i], s.T[i]! <= s.deadline[i]! + 1e-9);
    }
  }
  // The final evaluation ran the same weights on the same 5 evaluation seeds.
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { final: { metrics: Record<string, { mean: number }> } };
  const meanCost = body.episodes.reduce((s, e) => s + e.metrics['avgCost']!, 0) / 5;
  assert.ok(Math.abs(meanCost - summary.final.metrics['avgCost']!.mean) < 1e-12);
});

test('replay of a run without a checkpoint is 409; a heuristic replays on a preset', async () => {
  assert.equal((await get<{ error: string }>('/api/runs/sweep%2Flive/replay')).status, 409);
  const { status, body } = await get<Replay>('/api/presets/fig1-2cs-4es-9ud/replay?policy=greedy&episodes=2');
  assert.equal(status, 200);
  assert.equal(body.run, null);
  assert.equal(body.episodes.length, 2);
  assert.ok(body.episodes[0]!.slots.length >= 1);
});
