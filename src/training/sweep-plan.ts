/**
 * The plan of a sweep: algorithm x scenario x seed x each combination of
 * `--set` values (or the groups of a named experiment file), expanded into
 * runs with deterministic folder names, and validated as a whole before any
 * run starts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UserError, issueLine } from '../core/errors.js';
import { algorithmNames } from '../algorithms/registry.js';
import { HEURISTIC_NAMES } from '../heuristics/index.js';
import { resolveScenario } from '../env/presets.js';
import { parseYamlOrJson, type Scenario } from '../env/scenario.js';
import { resolveRunConfig, runSettingsSchema, type RunConfig } from './config.js';
import { resolveHeuristicConfig, type HeuristicRunConfig } from './heuristic-run.js';

/** One block of an experiment: every algorithm x scenario x config x combination of set values. */
export interface SweepGroup {
  readonly algos: readonly string[];
  readonly scenarios: readonly string[];
  /** Named configurations (or config files); `none` means the algorithm's defaults. */
  readonly configs?: readonly string[];
  /** Key -> the values to sweep over (raw text, parsed like `--set key=value`). */
  readonly set?: Readonly<Record<string, readonly string[]>>;
}

/** What a sweep is asked to do. */
export interface SweepRequest {
  readonly groups: readonly SweepGroup[];
  readonly seeds: readonly number[];
  /** Training episodes of every learning run (default: the run settings default). */
  readonly episodes?: number;
  /** Name of the experiment file the groups came from, if any. */
  readonly experiment?: string | null;
}

/** One run of a sweep, before resolution. */
export interface PlannedRun {
  /** Folder of the run relative to the sweep folder: `<algo>[+<config>][+<key=value>...]/<scenario>/seed<seed>`. */
  readonly id: string;
  readonly kind: 'learner' | 'heuristic';
  readonly algo: string;
  readonly scenario: string;
  readonly seed: number;
  /** Named configuration or config file (learners only). */
  readonly config: string | null;
  /** `key=value` strings of this run. */
  readonly set: readonly string[];
}

/** A planned run with its fully resolved configuration. */
export type ResolvedRun = PlannedRun & { readonly resolved: RunConfig | HeuristicRunConfig };

/** The validated plan written to `sweep.json`. */
export interface SweepPlan {
  readonly version: 1;
  readonly experiment: string | null;
  readonly seeds: readonly number[];
  readonly episodes: number | null;
  readonly runs: readonly ResolvedRun[];
}

const RUN_KEYS = Object.keys(runSettingsSchema.shape);

/** Expand and validate a sweep request; any unknown algorithm, scenario, key or bad value is a one-line UserError. */
export function planSweep(request: SweepRequest): SweepPlan {
  if (request.groups.length === 0) throw new UserError('sweep: nothing to run (give --algos and --scenarios, or --experiment)');
  if (request.seeds.length === 0) throw new UserError('--seeds: give at least one seed, e.g. --seeds 0,1,2');
  const learners = algorithmNames();
  const known = [...learners, ...HEURISTIC_NAMES];
  const scenarios = new Map<string, Scenario>();
  const scenarioOf = (name: string): Scenario => {
    let s = scenarios.get(name);
    if (!s) scenarios.set(name, (s = resolveScenario(name)));
    return s;
  };
  const runs: ResolvedRun[] = [];
  const ids = new Set<string>();
  const seeds = unique(request.seeds);
  for (const group of request.groups) {
    for (const algo of unique(group.algos)) {
      if (!known.includes(algo)) throw new UserError(`--algos: unknown algorithm '${algo}'; valid: ${known.join(', ')}`);
    }
    for (const name of unique(group.scenarios)) scenarioOf(name);
    const setEntries = Object.entries(group.set ?? {});
    for (const [key, values] of setEntries) if (values.length === 0) throw new UserError(`--set ${key}: give at least one value`);
    const varying = new Set(setEntries.filter(([, v]) => unique(v).length > 1).map(([k]) => k));
    for (const algo of unique(group.algos)) {
      const heuristic = (HEURISTIC_NAMES as readonly string[]).includes(algo);
      // Heuristics take only run settings, and no named configurations.
      const entries = heuristic ? setEntries.filter(([k]) => RUN_KEYS.includes(k)) : setEntries;
      if (heuristic && !learners.some((l) => group.algos.includes(l))) {
        const bad = setEntries.find(([k]) => !RUN_KEYS.includes(k));
        if (bad) throw new UserError(`--set ${bad[0]}: unknown key for heuristics (they take only run settings: ${RUN_KEYS.join(', ')})`);
      }
      const configs = heuristic ? [null] : unique(group.configs ?? ['none']).map((c) => (c === 'none' ? null : c));
      for (const config of configs) {
        for (const combo of combinations(entries)) {
          for (const scenario of unique(group.scenarios)) {
            for (const seed of seeds) {
              const label = [algo, ...(config !== null ? [configLabel(config)] : []), ...combo.filter(([k]) => varying.has(k)).map(([k, v]) => `${k}=${v}`)].join('+');
              const id = `${safeName(label)}/${safeName(scenarioLabel(scenario))}/seed${seed}`;
              if (ids.has(id)) continue;
              ids.add(id);
              const set = combo.map(([k, v]) => `${k}=${v}`);
              const planned: PlannedRun = { id, kind: heuristic ? 'heuristic' : 'learner', algo, scenario, seed, config, set };
              runs.push({ ...planned, resolved: resolvePlannedRun(planned, request.episodes, scenarioOf(scenario)) });
            }
          }
        }
      }
    }
  }
  return { version: 1, experiment: request.experiment ?? null, seeds, episodes: request.episodes ?? null, runs };
}

/** Resolve one planned run into the configuration its run folder will hold. */
function resolvePlannedRun(run: PlannedRun, episodes: number | undefined, scenario: Scenario): RunConfig | HeuristicRunConfig {
  if (run.kind === 'heuristic') return resolveHeuristicConfig({ policy: run.algo, scenarioName: run.scenario, scenario, seed: run.seed, set: run.set });
  return resolveRunConfig({
    algo: run.algo, scenario: run.scenario, ...(run.config !== null ? { config: run.config } : {}), set: run.set,
    settings: { seed: run.seed, ...(episodes !== undefined ? { episodes } : {}) },
  });
}

/** Parse a `--set key=v1,v2,...` flag into its key and values (commas inside brackets or braces do not split). */
export function parseSetFlag(item: string): [string, string[]] {
  const eq = item.indexOf('=');
  if (eq <= 0) throw new UserError(`--set ${item}: expected key=value or key=v1,v2,...`);
  const key = item.slice(0, eq).trim();
  const values = splitTopLevel(item.slice(eq + 1)).map((v) => v.trim());
  if (values.some((v) => v === '')) throw new UserError(`--set ${item}: empty value in the list`);
  return [key, values];
}

/** Parse a comma-separated list of seeds; `a-b` is a range. */
export function parseSeedList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new UserError(`--seeds: expected whole numbers or ranges like 0,1,2 or 0-4, got '${part}'`);
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (b < a || b - a > 10000) throw new UserError(`--seeds: bad range '${part}'`);
    for (let s = a; s <= b; s++) out.push(s);
  }
  if (out.length === 0) throw new UserError('--seeds: give at least one seed, e.g. --seeds 0,1,2');
  return unique(out);
}

/** Split a comma-separated list flag, dropping empty items. */
export function parseList(flag: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UserError(`${flag}: give at least one name`);
  return unique(items);
}

const valueSchema = z.union([z.number(), z.string(), z.boolean()]);
const experimentSchema = z.object({
  description: z.string().optional(),
  groups: z.array(z.object({
    algos: z.array(z.string()).min(1),
    scenarios: z.array(z.string()).min(1),
    configs: z.array(z.string()).min(1).optional(),
    set: z.record(z.string(), z.array(valueSchema).min(1)).optional(),
  }).strict()).min(1),
}).strict();

/** A named experiment (or an experiment file): its groups and description. */
export interface Experiment {
  readonly name: string;
  readonly description: string;
  readonly groups: SweepGroup[];
}

/** The folder holding the shipped experiment files (found from `src/` and from `dist/src/`). */
export function experimentsDir(): string {
  for (const url of [new URL('./experiments/', import.meta.url), new URL('../../../src/training/experiments/', import.meta.url)]) {
    const dir = fileURLToPath(url);
    if (existsSync(dir)) return dir;
  }
  throw new Error('sweep: cannot find the src/training/experiments folder next to the installed package');
}

/** Names of the shipped experiments. */
export function experimentNames(): string[] {
  return readdirSync(experimentsDir()).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, '')).sort();
}

/** Load a shipped experiment by name, or an experiment YAML/JSON file by path. */
export function loadExperiment(nameOrFile: string): Experiment {
  const shipped = join(experimentsDir(), `${nameOrFile}.yaml`);
  const path = existsSync(shipped) ? shipped : nameOrFile;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`--experiment ${nameOrFile}: no such experiment or file; shipped: ${experimentNames().join(', ')}`);
  }
  const raw = parseYamlOrJson(text, path);
  const r = experimentSchema.safeParse(raw);
  if (!r.success) {
    throw new UserError(`${path}: ${issueLine(r.error.issues[0]!)}`);
  }
  const groups = r.data.groups.map((g) => ({
    algos: g.algos, scenarios: g.scenarios,
    ...(g.configs ? { configs: g.configs } : {}),
    ...(g.set ? { set: Object.fromEntries(Object.entries(g.set).map(([k, vs]) => [k, vs.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))])) } : {}),
  }));
  return { name: path === shipped ? nameOrFile : basename(path).replace(/\.(ya?ml|json)$/i, ''), description: r.data.description ?? '', groups };
}

function combinations(entries: readonly (readonly [string, readonly string[]])[]): [string, string][][] {
  let out: [string, string][][] = [[]];
  for (const [key, values] of entries) out = out.flatMap((combo) => unique(values).map((v) => [...combo, [key, v] as [string, string]]));
  return out;
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function configLabel(config: string): string {
  return basename(config).replace(/\.(ya?ml|json)$/i, '');
}

function scenarioLabel(scenario: string): string {
  return basename(scenario).replace(/\.(ya?ml|json)$/i, '');
}

/** A folder-name-safe version of a label. */
function safeName(label: string): string {
  return label.replace(/[^A-Za-z0-9._=+-]/g, '_');
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
