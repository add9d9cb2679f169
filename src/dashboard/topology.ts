/**
 * The scenario view's data: a scenario (from a run's config.json or a preset)
 * reduced to its domains, servers and devices. Presets are looked up by name
 * only, never as a path.
 */
import { issueLine } from '../core/errors.js';
import { z } from 'zod';
import { listPresets } from '../env/presets.js';
import { loadScenarioFile } from '../env/scenario.js';
import type { Topology } from './shared/api-types.js';
import { HttpError } from './http-error.js';

/** Unlimited energy is Infinity in memory and the string "Infinity" in config.json: both become null. */
const finiteOrNull = z.unknown().transform((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));

/** The part of a scenario the view needs; extra fields are ignored. */
const topologySchema = z.object({
  name: z.string().default('custom'),
  slotSeconds: z.number().positive().default(1),
  slotsPerEpisode: z.number().int().positive().default(10),
  domains: z.array(z.object({ id: z.string(), label: z.string().optional() })).min(1),
  servers: z.array(z.object({ id: z.string(), kind: z.enum(['edge', 'cloud']), domain: z.string(), capacity: z.number() })).min(1),
  devices: z.array(z.object({ id: z.string(), domain: z.string(), capacity: z.number(), energyBudget: finiteOrNull })).min(1),
});

/** Reduce a scenario object (parsed or raw JSON from config.json) to a topology; 422 when it is not one. */
export function toTopology(scenario: unknown, fallbackName?: string): Topology {
  const r = topologySchema.safeParse(scenario);
  if (!r.success) {
    throw new HttpError(422, `not a scenario: ${issueLine(r.error.issues[0]!)}`);
  }
  const s = r.data;
  return {
    name: s.name === 'custom' && fallbackName ? fallbackName : s.name,
    slotSeconds: s.slotSeconds,
    slotsPerEpisode: s.slotsPerEpisode,
    domains: s.domains.map((d) => ({ id: d.id, label: d.label ?? d.id })),
    servers: s.servers.map((v) => ({ id: v.id, kind: v.kind, domain: v.domain, capacity: v.capacity })),
    devices: s.devices.map((v) => ({ id: v.id, domain: v.domain, capacity: v.capacity, energyBudget: v.energyBudget })),
  };
}

/** Names and descriptions of the built-in presets. */
export function presetList(): { name: string; description: string }[] {
  return listPresets().map((p) => ({ name: p.name, description: p.description }));
}

/** Path of a preset by exact name; 404 for any other string. */
export function presetPath(name: string): string {
  const p = listPresets().find((x) => x.name === name);
  if (!p) throw new HttpError(404, `no preset '${name.slice(0, 80)}'`);
  return p.path;
}

/** The topology of a built-in preset. */
export function presetTopology(name: string): Topology {
  return toTopology(loadScenarioFile(presetPath(name)), name);
}
