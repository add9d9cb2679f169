/**
 * Turning modules, optimisers, buffers and random streams into the arrays and
 * JSON of an `AlgorithmState`, and back, with a one-line error on any mismatch
 * (a checkpoint from another scenario or configuration).
 */
import { UserError } from '../../core/errors.js';
import type { Random, RandomState } from '../../core/random.js';
import type { Adam } from '../../nn/adam.js';
import type { Module } from '../../nn/layers.js';
import type { NamedArray } from '../../nn/safetensors.js';
import type { ReplayBuffer, ReplaySnapshot } from './replay-buffer.js';
import type { Json } from '../algorithm.js';

/** Arrays being collected for a checkpoint. */
export type ArrayMap = Record<string, NamedArray>;

/** Add a module's parameters as `<prefix>.<name>`. */
export function putModule(out: ArrayMap, prefix: string, module: Module): void {
  for (const [name, t] of module.namedParameters()) out[`${prefix}.${name}`] = { shape: [t.rows, t.cols], data: t.data.slice(0, t.size) };
}

/** Load a module's parameters saved by `putModule`. */
export function takeModule(arrays: ArrayMap, prefix: string, module: Module): void {
  for (const [name, t] of module.namedParameters()) {
    t.data.set(take(arrays, `${prefix}.${name}`, [t.rows, t.cols]));
  }
}

/** Add an optimiser's moments as `<prefix>.m.<i>` / `.v.<i>`; returns its step count for the JSON part. */
export function putAdam(out: ArrayMap, prefix: string, adam: Adam): number {
  const s = adam.getState();
  s.m.forEach((m, i) => { out[`${prefix}.m.${i}`] = { shape: [m.length], data: m }; });
  s.v.forEach((v, i) => { out[`${prefix}.v.${i}`] = { shape: [v.length], data: v }; });
  return s.step;
}

/** Restore an optimiser saved by `putAdam`. */
export function takeAdam(arrays: ArrayMap, prefix: string, adam: Adam, step: number): void {
  const m = adam.params.map((p, i) => take(arrays, `${prefix}.m.${i}`, [p.size]));
  const v = adam.params.map((p, i) => take(arrays, `${prefix}.v.${i}`, [p.size]));
  adam.setState({ step, m, v });
}

/** Add a replay buffer's contents as `<prefix>.<field>`; returns its JSON part. */
export function putBuffer(out: ArrayMap, prefix: string, buffer: ReplayBuffer): { [key: string]: Json } {
  const snap = buffer.snapshot();
  for (const [field, data] of Object.entries(snap.fields)) out[`${prefix}.${field}`] = { shape: [snap.size, buffer.widths[field]!], data };
  return { size: snap.size, next: snap.next };
}

/** Restore a replay buffer saved by `putBuffer`. */
export function takeBuffer(arrays: ArrayMap, prefix: string, buffer: ReplayBuffer, meta: Json | undefined): void {
  const m = meta as { size?: unknown; next?: unknown } | undefined;
  if (!m || typeof m.size !== 'number' || typeof m.next !== 'number') throw new UserError(`checkpoint: missing state of buffer ${prefix}`);
  const fields: Record<string, Float32Array> = {};
  for (const [field, w] of Object.entries(buffer.widths)) fields[field] = take(arrays, `${prefix}.${field}`, [m.size, w]);
  buffer.restore({ size: m.size, next: m.next, fields } satisfies ReplaySnapshot);
}

/** A random stream's state as JSON. */
export function randomToJson(rng: Random): Json {
  const s = rng.getState();
  return { s: [...s.s], spareNormal: s.spareNormal };
}

/** Restore a random stream from `randomToJson`. */
export function randomFromJson(rng: Random, json: Json | undefined): void {
  const j = json as { s?: unknown; spareNormal?: unknown } | undefined;
  if (!j || !Array.isArray(j.s) || j.s.length !== 4 || !j.s.every((x) => typeof x === 'number')) {
    throw new UserError('checkpoint: random stream state is missing or malformed');
  }
  const spare = typeof j.spareNormal === 'number' ? j.spareNormal : null;
  rng.setState({ s: j.s as unknown as RandomState['s'], spareNormal: spare });
}

function take(arrays: ArrayMap, name: string, shape: readonly number[]): Float32Array {
  const a = arrays[name];
  if (!a) throw new UserError(`checkpoint: tensor '${name}' is missing (was it written for another algorithm or configuration?)`);
  const n = shape.reduce((p, d) => p * d, 1);
  if (a.data.length !== n) {
    throw new UserError(`checkpoint: tensor '${name}' has shape [${a.shape.join(', ')}], this run needs [${shape.join(', ')}] (another scenario or network size?)`);
  }
  return a.data;
}
