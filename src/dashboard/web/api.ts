/// <reference lib="dom" />
/** Calls to the dashboard's JSON API. */
import type { MetricsSeries, Replay, RunInfo, Topology } from '../shared/api-types.js';

/** GET a JSON document; a non-2xx answer throws its `{ error }` message. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  return body as T;
}

const runUrl = (id: string): string => `api/runs/${encodeURIComponent(id)}`;

export const api = {
  runs: () => getJson<{ runsDir: string; runs: RunInfo[] }>('api/runs'),
  metrics: (id: string, keys: string[], source: 'metrics' | 'eval', max = 3000) =>
    getJson<MetricsSeries>(`${runUrl(id)}/metrics?keys=${encodeURIComponent(keys.join(','))}&source=${source}&max=${max}`),
  runTopology: (id: string) => getJson<Topology>(`${runUrl(id)}/topology`),
  runReplay: (id: string, episodes: number) => getJson<Replay>(`${runUrl(id)}/replay?episodes=${episodes}`),
  presets: () => getJson<{ presets: { name: string; description: string }[] }>('api/presets'),
  presetTopology: (name: string) => getJson<Topology>(`api/presets/${encodeURIComponent(name)}/topology`),
  presetReplay: (name: string, policy: string, episodes: number) =>
    getJson<Replay>(`api/presets/${encodeURIComponent(name)}/replay?policy=${encodeURIComponent(policy)}&episodes=${episodes}`),
};
