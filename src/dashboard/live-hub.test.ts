import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { LiveEvent } from './shared/api-types.js';
import { LiveHub } from './live-hub.js';
import { startDashboard } from './server.js';
import { fakeRun, tempDir } from './fixtures.js';

test('the hub reports appended rows, new runs and truncated logs', () => {
  const root = tempDir();
  fakeRun(join(root, 'a'), 2);
  const hub = new LiveHub(root, 1e9); // ticks only when called
  const events: LiveEvent[] = [];
  const stop = hub.subscribe((e) => events.push(e));
  assert.equal(events.length, 0); // the first poll only notes where things stand
  appendFileSync(join(root, 'a', 'metrics.jsonl'), '{"episode":2,"train/avgCost":1.5}\n{"episode":3');
  hub.tick();
  const metrics = events.filter((e) => e.type === 'metrics');
  assert.deepEqual(metrics, [{ type: 'metrics', id: 'a', rows: [{ episode: 2, 'train/avgCost': 1.5 }] }]);
  assert.equal(events.filter((e) => e.type === 'runs').length, 1); // episodesDone changed
  events.length = 0;
  fakeRun(join(root, 'b'), 1);
  hub.tick();
  const runs = events.find((e) => e.type === 'runs');
  assert.ok(runs && runs.type === 'runs' && runs.runs.some((r) => r.id === 'b'));
  // A run that appears later is followed from its first row.
  assert.ok(events.some((e) => e.type === 'metrics' && e.id === 'b' && e.rows.length === 1));
  events.length = 0;
  writeFileSync(join(root, 'a', 'metrics.jsonl'), '');
  hub.tick();
  assert.ok(events.some((e) => e.type === 'metrics-reset' && e.id === 'a'));
  stop();
  hub.close();
});

/** Read server-sent events from `url` until `until` accepts one or `ms` pass. */
function readEvents(url: string, until: (event: string, data: string) => boolean, onOpen: () => void, ms = 10000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const req = request(url, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (event === '') continue;
          seen.push(event);
          if (seen.length === 1) onOpen();
          if (until(event, data)) {
            clearTimeout(timer);
            req.destroy();
            resolve(seen);
          }
        }
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no matching event within ${ms} ms; saw ${seen.join(', ')}`));
    }, ms);
    req.on('error', () => {});
    req.end();
  });
}

test('over HTTP: the event stream starts with the run list and carries appended rows', async () => {
  const root = tempDir();
  fakeRun(join(root, 'a'), 1);
  const dash = await startDashboard({ runsDir: root, port: 0, webDir: null, pollMs: 50 });
  try {
    const seen = await readEvents(`${dash.url}api/events`, (event, data) => event === 'metrics' && data.includes('"episode":7'), () => {
      setTimeout(() => appendFileSync(join(root, 'a', 'metrics.jsonl'), '{"episode":7,"train/avgCost":0.5}\n'), 200);
    });
    assert.equal(seen[0], 'runs');
  } finally {
    await dash.close();
  }
});

test('a loopback server refuses other Host names (DNS rebinding) and reports a busy port in one line', async () => {
  const dash = await startDashboard({ runsDir: tempDir(), port: 0, webDir: null });
  try {
    const status = (host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = request(`${dash.url}api/runs`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await status('evil.example:8050'), 403);
    assert.equal(await status(`localhost:${dash.port}`), 200);
    await assert.rejects(startDashboard({ runsDir: tempDir(), port: dash.port, webDir: null }), /in use; pick another with --port/);
  } finally {
    await dash.close();
  }
});
