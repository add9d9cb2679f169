/**
 * Checkpoints of whole models: named modules and their Adam optimisers in one
 * safetensors file. Parameters are named `<module>.<param>` (e.g.
 * `critic.0.weight`); a 1 x n bias is stored with shape [n] as torch does.
 * Adam moments are `optim.<name>.m.<param>` / `.v.<param>` and the step count
 * is metadata `optim.<name>.step`, so a reloaded run continues bit for bit.
 */
import { UserError } from '../core/errors.js';
import type { Adam } from './adam.js';
import type { Module } from './layers.js';
import { loadSafetensors, saveSafetensors } from './safetensors.js';
import type { NamedArray } from './safetensors.js';
import type { Tensor } from './tensor.js';

/** What a checkpoint holds. */
export interface CheckpointParts {
  readonly modules: Record<string, Module>;
  readonly optimizers?: Record<string, Adam>;
  /** Extra string metadata (saved as is; returned by `loadCheckpoint`). */
  readonly metadata?: Record<string, string>;
}

function storedShape(name: string, t: Tensor): number[] {
  return t.rows === 1 && name.endsWith('bias') ? [t.cols] : [t.rows, t.cols];
}

/** Every parameter with its checkpoint name, plus a reverse lookup for optimiser state. */
function collect(parts: CheckpointParts): { named: [string, Tensor][]; nameOf: Map<Tensor, string> } {
  const named: [string, Tensor][] = [];
  const nameOf = new Map<Tensor, string>();
  for (const [key, mod] of Object.entries(parts.modules)) {
    for (const [pname, t] of mod.namedParameters()) {
      const name = `${key}.${pname}`;
      named.push([name, t]);
      nameOf.set(t, name);
    }
  }
  return { named, nameOf };
}

function optimizerEntries(parts: CheckpointParts, nameOf: Map<Tensor, string>): { key: string; opt: Adam; names: string[] }[] {
  return Object.entries(parts.optimizers ?? {}).map(([key, opt]) => ({
    key,
    opt,
    names: opt.params.map((p, i) => nameOf.get(p) ?? `param${i}`),
  }));
}

/** Save modules and optimisers to `path` (atomic write). */
export function saveCheckpoint(path: string, parts: CheckpointParts): void {
  const { named, nameOf } = collect(parts);
  const tensors = new Map<string, NamedArray>();
  for (const [name, t] of named) tensors.set(name, { shape: storedShape(name, t), data: t.data.subarray(0, t.size) });
  const metadata: Record<string, string> = { ...(parts.metadata ?? {}) };
  for (const { key, opt, names } of optimizerEntries(parts, nameOf)) {
    const state = opt.getState();
    opt.params.forEach((p, i) => {
      const shape = storedShape(names[i]!, p);
      tensors.set(`optim.${key}.m.${names[i]}`, { shape, data: state.m[i]! });
      tensors.set(`optim.${key}.v.${names[i]}`, { shape, data: state.v[i]! });
    });
    metadata[`optim.${key}.step`] = String(state.step);
  }
  saveSafetensors(path, tensors, metadata);
}

/**
 * Load a checkpoint written by `saveCheckpoint` into the same structure of
 * modules and optimisers; any missing tensor or shape mismatch is a UserError
 * and leaves the models untouched. Returns the file's metadata.
 */
export function loadCheckpoint(path: string, parts: CheckpointParts): Record<string, string> {
  const { named, nameOf } = collect(parts);
  const expected: Record<string, number[]> = {};
  for (const [name, t] of named) expected[name] = storedShape(name, t);
  const opts = optimizerEntries(parts, nameOf);
  for (const { key, opt, names } of opts) {
    opt.params.forEach((p, i) => {
      expected[`optim.${key}.m.${names[i]}`] = storedShape(names[i]!, p);
      expected[`optim.${key}.v.${names[i]}`] = storedShape(names[i]!, p);
    });
  }
  const { tensors, metadata } = loadSafetensors(path, expected);
  const steps = opts.map(({ key }) => {
    const raw = metadata[`optim.${key}.step`];
    const step = raw === undefined ? NaN : Number(raw);
    if (!Number.isInteger(step) || step < 0) throw new UserError(`${path}: metadata optim.${key}.step is missing or not a whole number`);
    return step;
  });
  for (const [name, t] of named) t.data.set(tensors.get(name)!.data);
  opts.forEach(({ key, opt, names }, j) => {
    opt.setState({
      step: steps[j]!,
      m: names.map((n) => tensors.get(`optim.${key}.m.${n}`)!.data),
      v: names.map((n) => tensors.get(`optim.${key}.v.${n}`)!.data),
    });
  });
  return metadata;
}
