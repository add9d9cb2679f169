/**
 * The scenario file: one zod schema that validates a YAML/JSON scenario at the
 * boundary and is also the source of the `Scenario` type the simulator trusts.
 * Errors are one line: `<source>: <field.path>: <rule>`.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { parseDocument } from 'yaml';
import { UserError } from '../core/errors.js';
import { loadTrace } from './trace.js';

const id = z.string().min(1);
/** A finite number > 0. */
const positive = z.number().positive();
/** A finite number >= 0. */
const nonNegative = z.number().nonnegative();
const probability = z.number().min(0).max(1);
/** A link rate: > 0, or unbounded (`Infinity`, the string "Infinity" or YAML `.inf`). */
const rateValue = z
  .union([positive, z.literal('Infinity'), z.literal(Number.POSITIVE_INFINITY)])
  .transform((v): number => (v === 'Infinity' ? Number.POSITIVE_INFINITY : v));

const domainSchema = z
  .object({
    /** Unique domain id, referenced by servers and devices. */
    id,
    /** Human-readable name, for reports only. */
    label: z.string().optional(),
  })
  .strict();

const serverSchema = z
  .object({
    /** Unique server id (e.g. `es1`, `cs1`). */
    id,
    /** Edge server or cloud server; only informative for the simulator. */
    kind: z.enum(['edge', 'cloud']),
    /** Id of the domain the server belongs to. */
    domain: id,
    /** Processing capacity [work/s]. */
    capacity: positive,
  })
  .strict();

const deviceSchema = z
  .object({
    /** Unique device id; agents are named `ud1`, `ud2`, ... by position regardless. */
    id,
    /** Id of the domain the device belongs to. */
    domain: id,
    /** Local processing capacity [work/s]. */
    capacity: positive,
    /** Energy available per episode [J]; omitted: unlimited. */
    energyBudget: nonNegative.default(Number.POSITIVE_INFINITY),
    /** Radio power while transferring [W]. */
    txPower: nonNegative.default(0),
  })
  .strict();

const tasksSchema = z
  .object({
    /** Mean task work per device [work]. */
    meanWork: z.array(positive).min(1),
    /** Standard deviation of task work, per device or one for all [work]. */
    stdWork: z.union([nonNegative, z.array(nonNegative)]).default(0),
    /** Floor the sampled work is clipped at, so a task always has some work [work]. */
    minWork: positive.default(0.01),
    /** Deadline per device [s]. */
    deadline: z.array(positive).min(1),
    /** Probability a task is sensitive (must stay in its domain), global or per device. */
    sensitiveProbability: z.union([probability, z.array(probability)]).default(0),
    /** At every reset permute the (meanWork, stdWork, deadline) profiles across devices. */
    shuffleProfiles: z.boolean().default(false),
    /** CSV of tasks replayed instead of sampled (path relative to the scenario file). */
    trace: z.string().min(1).optional(),
  })
  .strict();

const linksSchema = z
  .object({
    /** Fixed latency per transfer, device rows x server columns [s]. */
    latency: z.array(z.array(nonNegative)),
    /** Transfer rate, device x server matrix or one value [work/s]; `Infinity` allowed. */
    rate: z.union([rateValue, z.array(z.array(rateValue))]).default(Number.POSITIVE_INFINITY),
  })
  .strict();

const securitySchema = z
  .object({
    /** Device-side encryption work per offloaded work unit. */
    encryptWorkPerUnit: nonNegative.default(0),
    /** Server-side decryption work per offloaded work unit. */
    decryptWorkPerUnit: nonNegative.default(0),
    /** Extra work units an encrypted transfer carries. */
    ciphertextOverhead: nonNegative.default(0),
    /** mask: forbidden servers are never chosen; penalize: run locally + penalty; off: no rule. */
    enforce: z.enum(['mask', 'penalize', 'off']).default('mask'),
    /** Cost added to a task whose forbidden offload was refused [cost units]. */
    violationPenalty: nonNegative.default(10),
    /** Ablation: encrypt within-domain offloads too. */
    encryptAll: z.boolean().default(false),
  })
  .strict();

const energySchema = z
  .object({
    /** Device energy per unit of work processed locally [J/work]. */
    localJoulePerWork: nonNegative.default(0),
    /** Device energy per unit of work encrypted [J/work]. */
    encryptJoulePerWork: nonNegative.default(0),
  })
  .strict();

const costSchema = z
  .object({
    /** Weight of task time in the cost. */
    timeWeight: nonNegative.default(1),
    /** Weight of device energy in the cost. */
    energyWeight: nonNegative.default(0),
    /** Cap on a task's time, also the time of a task that could not run [s]. */
    maxTaskSeconds: positive.default(10),
  })
  .strict();

const rewardSchema = z
  .object({
    /** paper: the reference's sparse shaping; dense: minus cost every slot. */
    mode: z.enum(['paper', 'dense']).default('paper'),
    /** Paper mode: reward scale of a successful task (good / cost^2). */
    good: z.number().default(60),
    /** Paper mode: reward per cost unit of a failed task (bad * cost). */
    bad: z.number().default(-10),
    /** Dense mode: penalty per missed deadline, per device. */
    missPenalty: nonNegative.default(1),
  })
  .strict();

/** The schema of a scenario file; `Scenario` is its output type. */
export const scenarioSchema = z
  .object({
    /** Short name (presets: the preset name). */
    name: z.string().default('custom'),
    /** One-line description shown by `mitra scenarios list`. */
    description: z.string().default(''),
    /** Length of a slot; servers drain this much queued processing time per slot [s]. */
    slotSeconds: positive.default(1),
    /** Slots per episode. */
    slotsPerEpisode: z.number().int().min(1).default(10),
    /** End the episode at the first slot in which any task misses its deadline. */
    terminateOnDeadlineMiss: z.boolean().default(true),
    /** overlap: physical FIFO with arrival times; additive: the reference code's formula. */
    queueModel: z.enum(['overlap', 'additive']).default('overlap'),
    /** Administrative domains. */
    domains: z.array(domainSchema).min(1),
    /** Edge and cloud servers. */
    servers: z.array(serverSchema).min(1),
    /** User devices; each is one agent. */
    devices: z.array(deviceSchema).min(1),
    /** Task workload per device. */
    tasks: tasksSchema,
    /** Device-server links. */
    links: linksSchema,
    /** Set-up time charged the first time a device's task enters a server in an episode, matrix or one value [s]. */
    switchTime: z.union([nonNegative, z.array(z.array(nonNegative))]).default(0),
    /** Domain-security rule and encryption costs. */
    security: securitySchema.prefault({}),
    /** Device energy model. */
    energy: energySchema.prefault({}),
    /** Task cost. */
    cost: costSchema.prefault({}),
    /** Shared reward. */
    reward: rewardSchema.prefault({}),
  })
  .strict();

/** A validated scenario with every default filled in. */
export type Scenario = z.output<typeof scenarioSchema>;

/** Render a zod path as `servers[1].capacity`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(root)' : out;
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'number') return String(input);
  if (typeof input === 'string') return `"${input.length > 30 ? input.slice(0, 30) + '...' : input}"`;
  return typeof input === 'object' ? 'an object' : typeof input;
}

/** One zod issue as `path: rule`. */
function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '?';
      return `${formatPath([...path, key])}: unknown field (remove it or check its spelling)`;
    }
    case 'invalid_type': {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) return `${formatPath(path)}: is required (${issue.expected})`;
      if (typeof input === 'number' && Number.isNaN(input)) return `${formatPath(path)}: must be a number, not NaN`;
      if (typeof input === 'number' && !Number.isFinite(input)) return `${formatPath(path)}: must be finite, not ${input}`;
      return `${formatPath(path)}: must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`} (got ${describe(input)})`;
    }
    case 'too_small': {
      if (issue.origin === 'array') return `${formatPath(path)}: must have at least ${issue.minimum} entries`;
      if (issue.origin === 'string') return `${formatPath(path)}: must not be empty`;
      return `${formatPath(path)}: must be ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    }
    case 'too_big':
      return `${formatPath(path)}: must be ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    case 'invalid_value':
      return `${formatPath(path)}: must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_union': {
      const input = (issue as { input?: unknown }).input;
      if (typeof input === 'number' && Number.isNaN(input)) return `${formatPath(path)}: must be a number, not NaN`;
      return `${formatPath(path)}: has the wrong type or value (got ${describe(input)})`;
    }
    case 'not_multiple_of':
      return `${formatPath(path)}: must be a multiple of ${String(issue.divisor)}`;
    default:
      return `${formatPath(path)}: ${issue.message}`;
  }
}

/** Checks the schema cannot express: references, uniqueness, matrix shapes. */
function crossCheck(s: Scenario): string | null {
  const domainIds = new Set<string>();
  for (let i = 0; i < s.domains.length; i++) {
    if (domainIds.has(s.domains[i].id)) return `domains[${i}].id: duplicate id "${s.domains[i].id}"`;
    domainIds.add(s.domains[i].id);
  }
  const seen = new Set<string>();
  for (let i = 0; i < s.servers.length; i++) {
    const sv = s.servers[i];
    if (seen.has(sv.id)) return `servers[${i}].id: duplicate id "${sv.id}"`;
    seen.add(sv.id);
    if (!domainIds.has(sv.domain)) return `servers[${i}].domain: no domain "${sv.domain}" (known: ${[...domainIds].join(', ')})`;
  }
  seen.clear();
  for (let i = 0; i < s.devices.length; i++) {
    const d = s.devices[i];
    if (seen.has(d.id)) return `devices[${i}].id: duplicate id "${d.id}"`;
    seen.add(d.id);
    if (!domainIds.has(d.domain)) return `devices[${i}].domain: no domain "${d.domain}" (known: ${[...domainIds].join(', ')})`;
  }
  const M = s.devices.length, K = s.servers.length;
  const perDevice = (field: string, v: unknown): string | null =>
    Array.isArray(v) && v.length !== M ? `${field}: must have ${M} entries (one per device), got ${v.length}` : null;
  const matrix = (field: string, v: unknown): string | null => {
    if (!Array.isArray(v)) return null;
    if (v.length !== M) return `${field}: must have ${M} rows (one per device), got ${v.length}`;
    for (let i = 0; i < M; i++) {
      const row = v[i] as unknown[];
      if (row.length !== K) return `${field}[${i}]: must have ${K} columns (one per server), got ${row.length}`;
    }
    return null;
  };
  return (
    perDevice('tasks.meanWork', s.tasks.meanWork) ??
    perDevice('tasks.stdWork', s.tasks.stdWork) ??
    perDevice('tasks.deadline', s.tasks.deadline) ??
    perDevice('tasks.sensitiveProbability', s.tasks.sensitiveProbability) ??
    matrix('links.latency', s.links.latency) ??
    matrix('links.rate', s.links.rate) ??
    matrix('switchTime', s.switchTime)
  );
}

/**
 * Validate a parsed scenario object. `source` names it in errors (a file path);
 * a relative `tasks.trace` is resolved against `baseDir` (default: the folder
 * of `source`, or the working directory) and the trace is validated too.
 */
export function parseScenario(raw: unknown, source: string, opts: { baseDir?: string } = {}): Scenario {
  const result = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const issues = result.error.issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw new UserError(`${source}: ${formatIssue(issues[0])}${more}`);
  }
  const s = result.data;
  const problem = crossCheck(s);
  if (problem !== null) throw new UserError(`${source}: ${problem}`);
  if (s.tasks.trace !== undefined) {
    const base = opts.baseDir ?? (looksLikeFile(source) ? dirname(resolve(source)) : process.cwd());
    s.tasks.trace = isAbsolute(s.tasks.trace) ? s.tasks.trace : resolve(base, s.tasks.trace);
    loadTrace(s.tasks.trace, s); // validate now, at the boundary
  }
  return s;
}

function looksLikeFile(source: string): boolean {
  try {
    return statSync(source).isFile();
  } catch {
    return false;
  }
}

/** Read and validate a scenario file (YAML or JSON, told apart by content). */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read (${code ?? 'error'})`;
    throw new UserError(`${path}: ${why}`);
  }
  return parseScenario(parseYamlOrJson(text, path), path, { baseDir: dirname(resolve(path)) });
}

/** Parse text as JSON when it looks like JSON, else YAML; errors name the file and line. */
export function parseYamlOrJson(text: string, source: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not valid JSON: YAML is a superset, and its parser gives line numbers.
    }
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    // Line of the error's start offset (1-based), counted here so it never depends on parser options.
    const line = e.linePos?.[0].line ?? text.slice(0, e.pos[0]).split('\n').length;
    const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new UserError(`${source}:${line}: invalid YAML: ${msg}`);
  }
  return doc.toJS() as unknown;
}
