/**
 * The configuration of a training run: parsed once at the boundary (flags,
 * `--config` file, `--set key=value`) into a fully resolved object that is
 * saved as the run's `config.json` and is all a resume needs.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError, issueLine } from '../core/errors.js';
import { getAlgorithm } from '../algorithms/registry.js';
import type { AlgorithmSpec } from '../algorithms/algorithm.js';
import { resolveScenario } from '../env/presets.js';
import { parseScenario, parseYamlOrJson, type Scenario } from '../env/scenario.js';

/** Run-level settings (the algorithm's own hyperparameters live in `hyper`). */
export const runSettingsSchema = z.object({
  seed: z.number().int().nonnegative().default(0).describe('one seed fixes the environment, initialisation and noise'),
  episodes: z.number().int().positive().default(200000).describe('training episodes'),
  evalEvery: z.number().int().positive().default(1000).describe('episodes between evaluations of the deterministic policy'),
  evalEpisodes: z.number().int().positive().default(20).describe('episodes per evaluation (fixed evaluation seeds)'),
  finalEvalEpisodes: z.number().int().positive().default(200).describe('episodes of the final evaluation in summary.json'),
  checkpointEvery: z.number().int().positive().default(50000).describe('episodes between checkpoints (one is always written at the end)'),
}).strict();
/** Run-level settings. */
export type RunSettings = z.infer<typeof runSettingsSchema>;

/** A fully resolved run configuration (the content of config.json). */
export interface RunConfig extends RunSettings {
  /** Format version of config.json. */
  readonly version: 1;
  readonly algo: string;
  /** Preset name or file the scenario came from. */
  readonly scenarioName: string;
  /** Named configuration applied before `--set` values, if any. */
  readonly namedConfig: string | null;
  readonly hyper: Record<string, unknown>;
  readonly scenario: Scenario;
}

/** What the CLI hands over. */
export interface RunConfigInput {
  algo: string;
  scenario: string;
  /** A named configuration of the algorithm (e.g. `released`) or a YAML/JSON file of keys. */
  config?: string;
  /** `key=value` strings; a value is parsed as JSON when it can be (numbers, booleans), else kept as a string. */
  set?: readonly string[];
  /** Explicit run settings from flags (override config and --set). */
  settings?: Partial<RunSettings>;
}

const RUN_KEYS = Object.keys(runSettingsSchema.shape);

/** Resolve flags, config file and `--set` values into a validated run configuration. */
export function resolveRunConfig(input: RunConfigInput): RunConfig {
  const spec = getAlgorithm(input.algo);
  const scenario = resolveScenario(input.scenario);
  const values: Record<string, unknown> = {};
  let namedConfig: string | null = null;
  if (input.config !== undefined) {
    const named = spec.namedConfigs[input.config];
    if (named) {
      namedConfig = input.config;
      Object.assign(values, named);
    } else {
      Object.assign(values, readConfigFile(input.config, spec));
    }
  }
  for (const item of input.set ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`--set ${item}: expected key=value`);
    const key = item.slice(0, eq).trim();
    checkKey(key, spec, '--set');
    values[key] = parseValue(item.slice(eq + 1));
  }
  for (const [k, v] of Object.entries(input.settings ?? {})) if (v !== undefined) values[k] = v;
  const runPart: Record<string, unknown> = {};
  const hyperPart: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) (RUN_KEYS.includes(k) ? runPart : hyperPart)[k] = v;
  const settings = validate(runSettingsSchema, runPart, 'run setting');
  const hyper = validate(spec.configSchema, hyperPart, `${spec.name} setting`) as Record<string, unknown>;
  return { version: 1, algo: spec.name, scenarioName: input.scenario, namedConfig, ...settings, hyper, scenario };
}

/** Check a stored config.json and return it typed (the run folder's own file). */
export function parseStoredConfig(raw: unknown, source: string): RunConfig {
  if (raw === null || typeof raw !== 'object') throw new UserError(`${source}: not a run configuration`);
  const r = raw as Record<string, unknown>;
  if (r['version'] !== 1 || typeof r['algo'] !== 'string' || typeof r['scenarioName'] !== 'string') {
    throw new UserError(`${source}: not a mitra run configuration (missing version, algo or scenarioName)`);
  }
  const spec = getAlgorithm(r['algo']);
  const settings = validate(runSettingsSchema, pick(r, RUN_KEYS), `${source}`);
  const hyper = validate(spec.configSchema, r['hyper'] ?? {}, `${source}: hyper`) as Record<string, unknown>;
  const scenario = parseScenario(r['scenario'], `${source}: scenario`);
  const namedConfig = typeof r['namedConfig'] === 'string' ? r['namedConfig'] : null;
  return { version: 1, algo: spec.name, scenarioName: r['scenarioName'], namedConfig, ...settings, hyper, scenario };
}

/** Every key `--set` accepts for an algorithm, with its description. */
export function settableKeys(spec: AlgorithmSpec): string[] {
  return [...RUN_KEYS, ...Object.keys(schemaShape(spec))];
}

function schemaShape(spec: AlgorithmSpec): Record<string, unknown> {
  const s = spec.configSchema as unknown as { shape?: Record<string, unknown> };
  return s.shape ?? {};
}

function checkKey(key: string, spec: AlgorithmSpec, where: string): void {
  if (RUN_KEYS.includes(key) || key in schemaShape(spec)) return;
  throw new UserError(`${where}: unknown key '${key}' for ${spec.name}; valid: ${settableKeys(spec).join(', ')}`);
}

function readConfigFile(path: string, spec: AlgorithmSpec): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    const names = Object.keys(spec.namedConfigs);
    throw new UserError(`--config ${path}: no such file${names.length ? ` or named configuration of ${spec.name} (named: ${names.join(', ')})` : ''}`);
  }
  const raw = parseYamlOrJson(text, path);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(`${path}: expected a mapping of setting names to values`);
  for (const key of Object.keys(raw)) checkKey(key, spec, path);
  return raw as Record<string, unknown>;
}

function parseValue(text: string): unknown {
  const t = text.trim();
  try {
    return JSON.parse(t);
  } catch {
    return t;
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new UserError(`${what} ${issueLine(r.error.issues[0]!)}`);
}

function pick(r: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in r) out[k] = r[k];
  return out;
}
