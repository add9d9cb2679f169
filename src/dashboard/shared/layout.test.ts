import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutTopology, type Rect } from './layout.js';
import type { Topology } from './api-types.js';

// The system drawing: D1 {ES1; UD1-3}, D2 {ES2, ES3; UD4-6}, D3 {ES4; UD7-9}, D4 {CS1, CS2}.
const fig1: Topology = {
  name: 'fig1', slotSeconds: 1, slotsPerEpisode: 10,
  domains: ['d1', 'd2', 'd3', 'd4'].map((id) => ({ id, label: id })),
  servers: [
    { id: 'es1', kind: 'edge', domain: 'd1', capacity: 10 },
    { id: 'es2', kind: 'edge', domain: 'd2', capacity: 19 },
    { id: 'es3', kind: 'edge', domain: 'd2', capacity: 25 },
    { id: 'es4', kind: 'edge', domain: 'd3', capacity: 15 },
    { id: 'cs1', kind: 'cloud', domain: 'd4', capacity: 40 },
    { id: 'cs2', kind: 'cloud', domain: 'd4', capacity: 30 },
  ],
  devices: Array.from({ length: 9 }, (_, i) => ({ id: `ud${i + 1}`, domain: `d${Math.floor(i / 3) + 1}`, capacity: 1, energyBudget: 16 })),
};

const inside = (p: { x: number; y: number }, r: Rect): boolean => p.x > r.x && p.x < r.x + r.w && p.y > r.y && p.y < r.y + r.h;
const overlap = (a: Rect, b: Rect): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

test('every server and device lies inside its own domain region, and regions do not overlap', () => {
  const l = layoutTopology(fig1);
  const rect = (id: string): Rect => l.domains.find((d) => d.id === id)!;
  fig1.servers.forEach((s, k) => assert.ok(inside(l.servers[k]!, rect(s.domain)), s.id));
  fig1.devices.forEach((d, i) => assert.ok(inside(l.devices[i]!, rect(d.domain)), d.id));
  for (let a = 0; a < l.domains.length; a++) {
    for (let b = a + 1; b < l.domains.length; b++) assert.ok(!overlap(l.domains[a]!, l.domains[b]!), `${a} ${b}`);
  }
  for (const d of l.domains) assert.ok(d.x >= 0 && d.y >= 0 && d.x + d.w <= l.width && d.y + d.h <= l.height, d.id);
});

test('the cloud-only domain is the right-hand column, as in the drawing', () => {
  const l = layoutTopology(fig1);
  const d4 = l.domains.find((d) => d.id === 'd4')!;
  assert.equal(d4.cloudOnly, true);
  for (const d of l.domains) if (d.id !== 'd4') assert.ok(d.x + d.w <= d4.x, d.id);
  // Servers sit above the devices of their domain.
  assert.ok(l.servers[0]!.y < l.devices[0]!.y);
});

test('no two nodes share a position', () => {
  const l = layoutTopology(fig1);
  const keys = [...l.servers, ...l.devices].map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`);
  assert.equal(new Set(keys).size, keys.length);
});

test('a single-domain scenario without clouds lays out', () => {
  const t: Topology = { ...fig1, domains: [{ id: 'd1', label: 'd1' }], servers: fig1.servers.slice(0, 3).map((s) => ({ ...s, domain: 'd1' })), devices: fig1.devices.map((d) => ({ ...d, domain: 'd1' })) };
  const l = layoutTopology(t);
  assert.equal(l.domains.length, 1);
  t.devices.forEach((_, i) => assert.ok(inside(l.devices[i]!, l.domains[0]!)));
  assert.ok(l.width > 0 && l.height > 0);
});
