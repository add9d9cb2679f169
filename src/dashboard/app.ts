/**
 * The dashboard's HTTP app (Hono): a read-only JSON API over a runs folder,
 * server-sent events for live updates, and the built page. Every answer to a
 * bad request is a 4xx with `{ error }`; nothing here writes to a run folder.
 */
import { errorLine, issueLine } from '../core/errors.js';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { LiveEvent } from './shared/api-types.js';
import { HttpError } from './http-error.js';
import { LiveHub } from './live-hub.js';
import { readMetricsSeries } from './metrics-series.js';
import { replayHeuristic, replayRun } from './replay.js';
import { realRoot, resolveRunDir, safeFile } from './run-path.js';
import { describeRun, readJsonFile, scanRuns } from './run-scan.js';
import { NOT_BUILT_PAGE, readStatic } from './static-files.js';
import { presetList, presetTopology, toTopology } from './topology.js';

/** Options of `createDashboardApp`. */
export interface DashboardAppOptions {
  /** The runs folder (need not exist yet). */
  runsDir: string;
  /** Folder of the built page, or null to serve a "not built" note. */
  webDir: string | null;
  /** Host names the Host header may carry (guards a loopback server against DNS rebinding); null: any. */
  allowedHosts?: readonly string[] | null;
  /** Poll interval of live updates [ms]. */
  pollMs?: number;
}

const metricsQuery = z.object({
  keys: z.string().max(4000).default('train/avgCost').transform((s) => s.split(',').map((k) => k.trim()).filter((k) => k.length > 0)).pipe(z.array(z.string().max(200)).min(1).max(50)),
  max: z.coerce.number().int().min(2).max(100000).default(2000),
  source: z.enum(['metrics', 'eval']).default('metrics'),
});
const episodesQuery = z.object({ episodes: z.coerce.number().int().min(1).max(20).default(3) });
const heuristicQuery = episodesQuery.extend({ policy: z.string().max(40).default('greedy') });

function parseQuery<T>(schema: z.ZodType<T>, c: Context): T {
  const r = schema.safeParse(c.req.query());
  if (r.success) return r.data;
  throw new HttpError(400, `query ${issueLine(r.error.issues[0]!)}`);
}

/** Build the app and the live hub it feeds events from (close the hub when done). */
export function createDashboardApp(opts: DashboardAppOptions): { app: Hono; hub: LiveHub } {
  const root = opts.runsDir;
  const hub = new LiveHub(root, opts.pollMs ?? 1000);
  const app = new Hono();
  const allowed = opts.allowedHosts ? new Set(opts.allowedHosts.map((h) => h.toLowerCase())) : null;

  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json({ error: err.message }, err.status);
    return c.json({ error: `internal error: ${errorLine(err)}` }, 500);
  });
  app.notFound((c) => c.json({ error: `no such path: ${c.req.path.slice(0, 200)}` }, 404));

  app.use('*', async (c, next) => {
    if (allowed !== null) {
      const host = (c.req.header('host') ?? '').toLowerCase().replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
      if (!allowed.has(host)) throw new HttpError(403, `unexpected Host header '${host.slice(0, 100)}'; open the address the dashboard printed`);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') throw new HttpError(405, `${c.req.method} not allowed: the dashboard is read-only`);
    await next();
  });

  const runDir = (c: Context): { base: string; dir: string; id: string } => {
    const id = c.req.param('id') ?? '';
    const dir = resolveRunDir(root, id);
    return { base: realRoot(root)!, dir, id };
  };

  app.get('/api/runs', (c) => c.json({ runsDir: root, runs: scanRuns(root) }));
  app.get('/api/runs/:id', (c) => {
    const { base, dir, id } = runDir(c);
    const info = describeRun(base, dir, id);
    if (info === null) throw new HttpError(404, `run '${id}': config.json is missing or unreadable`);
    return c.json(info);
  });
  app.get('/api/runs/:id/config', (c) => {
    const { base, dir, id } = runDir(c);
    const config = readJsonFile(safeFile(base, dir, 'config.json'));
    if (config === null) throw new HttpError(404, `run '${id}': config.json is missing or unreadable`);
    return c.json(config);
  });
  app.get('/api/runs/:id/summary', (c) => {
    const { base, dir } = runDir(c);
    return c.json({ summary: readJsonFile(safeFile(base, dir, 'summary.json')) });
  });
  app.get('/api/runs/:id/metrics', (c) => {
    const { base, dir, id } = runDir(c);
    const q = parseQuery(metricsQuery, c);
    const file = q.source === 'eval' ? 'eval.jsonl' : 'metrics.jsonl';
    return c.json(readMetricsSeries(safeFile(base, dir, file), id, q.source, { keys: q.keys, max: q.max }));
  });
  app.get('/api/runs/:id/topology', (c) => {
    const { base, dir, id } = runDir(c);
    const config = readJsonFile(safeFile(base, dir, 'config.json'));
    if (config === null) throw new HttpError(404, `run '${id}': config.json is missing or unreadable`);
    return c.json(toTopology(config['scenario'], typeof config['scenarioName'] === 'string' ? config['scenarioName'] : undefined));
  });
  app.get('/api/runs/:id/replay', (c) => {
    const { base, dir, id } = runDir(c);
    const q = parseQuery(episodesQuery, c);
    return c.json(replayRun(base, dir, id, q.episodes));
  });

  app.get('/api/presets', (c) => c.json({ presets: presetList() }));
  app.get('/api/presets/:name/topology', (c) => c.json(presetTopology(c.req.param('name'))));
  app.get('/api/presets/:name/replay', (c) => {
    const q = parseQuery(heuristicQuery, c);
    return c.json(replayHeuristic(c.req.param('name'), q.policy, q.episodes));
  });

  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      // Writes are chained so events never interleave.
      let chain: Promise<void> = Promise.resolve();
      const send = (e: LiveEvent): void => {
        chain = chain.then(() => stream.writeSSE({ event: e.type, data: JSON.stringify(e) })).catch(() => {});
      };
      send({ type: 'runs', runs: scanRuns(root) });
      const unsubscribe = hub.subscribe(send);
      let open = true;
      let wake = (): void => {};
      stream.onAbort(() => {
        open = false;
        unsubscribe();
        wake();
      });
      while (open && !stream.aborted && !stream.closed) {
        // A keep-alive comment every 15 s; the wait ends at once when the client goes, so no timer outlives it.
        await new Promise<void>((resolveWait) => {
          const timer = setTimeout(resolveWait, 15000);
          wake = () => {
            clearTimeout(timer);
            resolveWait();
          };
        });
        if (open) chain = chain.then(() => stream.write(': keep-alive\n\n')).then(() => {}, () => {});
      }
      unsubscribe();
    }),
  );
  app.get('/api/*', (c) => c.json({ error: `no such API path: ${c.req.path.slice(0, 200)}` }, 404));

  app.get('*', (c) => {
    if (opts.webDir === null) return c.html(NOT_BUILT_PAGE, c.req.path === '/' ? 200 : 404);
    const file = readStatic(opts.webDir, c.req.path);
    if (file === null) return c.json({ error: `no such file: ${c.req.path.slice(0, 200)}` }, 404);
    return c.body(new Uint8Array(file.body), 200, { 'content-type': file.type, 'cache-control': 'no-cache' });
  });
  return { app, hub };
}
