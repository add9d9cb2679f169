import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '../core/errors.js';
import { loadScenarioFile, parseScenario } from './scenario.js';
import { listPresets, resolveScenario } from './presets.js';

const dir = mkdtempSync(join(tmpdir(), 'mitra-scenario-'));

/** A small valid scenario as JSON-like data. */
function valid() {
  return {
    domains: [{ id: 'd1' }, { id: 'd2' }],
    servers: [{ id: 'es1', kind: 'edge', domain: 'd1', capacity: 10 }, { id: 'es2', kind: 'edge', domain: 'd2', capacity: 5 }],
    devices: [{ id: 'u1', domain: 'd1', capacity: 1 }],
    tasks: { meanWork: [3], deadline: [2] },
    links: { latency: [[0.3, 0.4]], rate: [[10, 'Infinity']] },
  };
}

/** Load `text` from a file and return the one-line error message. */
function errorOf(text: string, name = 'bad.yaml'): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  try {
    loadScenarioFile(path);
  } catch (err) {
    assert.ok(isUserError(err), `expected a UserError, got ${String(err)}`);
    const msg = (err as Error).message;
    assert.ok(!msg.includes('\n'), `message is not one line: ${msg}`);
    assert.ok(msg.startsWith(path), `message does not name the file: ${msg}`);
    return msg;
  }
  assert.fail('expected the scenario to be rejected');
}

type Raw = ReturnType<typeof valid>;
/** Set `obj[key]` to a value the schema should reject (bypassing the types on purpose). */
const set = (obj: object, key: string, value: unknown): void => { (obj as Record<string, unknown>)[key] = value; };

const bad = (mutate: (s: Raw) => void): string => {
  const s = valid();
  mutate(s);
  return errorOf(JSON.stringify(s), 'bad.json');
};

test('a valid scenario gets its defaults', () => {
  const s = parseScenario(valid(), 'ok');
  assert.equal(s.queueModel, 'overlap');
  assert.equal(s.slotsPerEpisode, 10);
  assert.equal(s.security.enforce, 'mask');
  assert.equal(s.reward.good, 60);
  assert.equal(s.devices[0].energyBudget, Infinity);
  assert.deepEqual(s.links.rate, [[10, Infinity]]);
});

test('unknown field', () => {
  const msg = bad((s) => { set(s.servers[1], 'speed', 3); });
  assert.match(msg, /: servers\[1\]\.speed: unknown field/);
});

test('wrong type', () => {
  const msg = bad((s) => { set(s.servers[0], 'capacity', 'fast'); });
  assert.match(msg, /: servers\[0\]\.capacity: must be a number \(got "fast"\)/);
});

test('negative capacity', () => {
  const msg = bad((s) => { s.servers[1].capacity = -2; });
  assert.match(msg, /: servers\[1\]\.capacity: must be > 0/);
});

test('device in a domain that does not exist', () => {
  const msg = bad((s) => { s.devices[0].domain = 'd9'; });
  assert.match(msg, /: devices\[0\]\.domain: no domain "d9"/);
});

test('link matrix of the wrong shape', () => {
  assert.match(bad((s) => { s.links.latency = [[0.3, 0.4], [0.3, 0.4]]; }), /: links\.latency: must have 1 rows \(one per device\), got 2/);
  assert.match(bad((s) => { s.links.latency = [[0.3]]; }), /: links\.latency\[0\]: must have 2 columns \(one per server\), got 1/);
  assert.match(bad((s) => { s.tasks.meanWork = [3, 4]; }), /: tasks\.meanWork: must have 1 entries/);
});

test('NaN and Infinity where not allowed (YAML .nan / .inf)', () => {
  const yaml = (cap: string): string => `
domains: [{ id: d1 }]
servers: [{ id: es1, kind: edge, domain: d1, capacity: ${cap} }]
devices: [{ id: u1, domain: d1, capacity: 1 }]
tasks: { meanWork: [3], deadline: [2] }
links: { latency: [[0.3]], rate: .inf }
`;
  assert.match(errorOf(yaml('.nan')), /: servers\[0\]\.capacity: must be a number, not NaN/);
  assert.match(errorOf(yaml('.inf')), /: servers\[0\]\.capacity: must be finite, not Infinity/);
  // Infinity is fine for a rate (YAML .inf above, or the string "Infinity").
  const ok = parseScenario({ ...valid(), links: { latency: [[0.3, 0.4]], rate: 'Infinity' } }, 'ok');
  assert.equal(ok.links.rate, Infinity);
  assert.match(bad((s) => { set(s.links, 'rate', [[10, 'fast']]); }), /: links\.rate/);
});

test('broken YAML names the file and the line', () => {
  const msg = errorOf('domains:\n  - { id: d1\nservers: []\n');
  assert.match(msg, /bad\.yaml:\d+: invalid YAML/);
});

test('missing file', () => {
  const path = join(dir, 'nope.yaml');
  assert.throws(() => loadScenarioFile(path), (err: Error) => isUserError(err) && err.message === `${path}: no such file`);
});

test('every preset loads, and unknown names list the presets', () => {
  const presets = listPresets();
  assert.deepEqual(presets.map((p) => p.name).sort(), ['fig1-2cs-4es-9ud', 'paper-1cs-2es-5ud', 'paper-1cs-3es-7ud', 'reference-3s-7ud']);
  for (const p of presets) {
    assert.ok(p.description.length > 0);
    assert.equal(resolveScenario(p.name).name, p.name);
    assert.equal(resolveScenario(p.path).name, p.name);
  }
  assert.throws(() => resolveScenario('paper-9'), (err: Error) => isUserError(err) && /unknown scenario "paper-9".*paper-1cs-3es-7ud/.test(err.message));
});
