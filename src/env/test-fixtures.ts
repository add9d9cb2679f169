/**
 * Tiny scenarios for hand-derived tests: std 0, fixed work, no sensitive tasks
 * unless asked. Not used by the library itself.
 */
import { parseScenario, type Scenario } from './scenario.js';

/** Options of a tiny scenario; anything else can be overridden through `extra`. */
export interface TinyOptions {
  devices: { domain?: string; capacity?: number; energyBudget?: number; txPower?: number }[];
  servers: { domain?: string; capacity: number; kind?: 'edge' | 'cloud' }[];
  work: number[];
  deadline?: number[];
  latency: number[][];
  rate?: number[][] | number | 'Infinity';
  switchTime?: number[][] | number;
  extra?: Record<string, unknown>;
}

/** Build and validate a tiny scenario (domains d1, d2 exist). */
export function tinyScenario(o: TinyOptions): Scenario {
  const raw: Record<string, unknown> = {
    name: 'tiny',
    slotsPerEpisode: 3,
    terminateOnDeadlineMiss: false,
    domains: [{ id: 'd1' }, { id: 'd2' }],
    servers: o.servers.map((s, k) => ({ id: `s${k + 1}`, kind: s.kind ?? 'edge', domain: s.domain ?? 'd1', capacity: s.capacity })),
    devices: o.devices.map((d, i) => ({ id: `u${i + 1}`, domain: d.domain ?? 'd1', capacity: d.capacity ?? 1, ...(d.energyBudget !== undefined ? { energyBudget: d.energyBudget } : {}), txPower: d.txPower ?? 0 })),
    tasks: { meanWork: o.work, stdWork: 0, deadline: o.deadline ?? o.work.map(() => 5), sensitiveProbability: 0 },
    links: { latency: o.latency, rate: o.rate ?? 'Infinity' },
    switchTime: o.switchTime ?? 0,
    ...o.extra,
  };
  return parseScenario(raw, 'tiny');
}

/** Shorthand for typed action arrays. */
export function actions(server: number[], rho: number[]): [Int32Array, Float32Array] {
  return [Int32Array.from(server), Float32Array.from(rho)];
}
