/**
 * Where the scenario view draws things, in SVG user units: like the paper's
 * system drawing, each domain is a region holding its servers above its
 * devices, and domains with only cloud servers stand in a column on the right.
 * Pure geometry, so it is tested without a browser.
 */
import type { Topology } from './api-types.js';

/** An axis-aligned rectangle. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Positions of everything the view draws (centres for nodes). */
export interface Layout {
  width: number;
  height: number;
  /** One per domain, in topology order. */
  domains: (Rect & { id: string; label: string; cloudOnly: boolean })[];
  /** Centre of each server / device, in topology order. */
  servers: { x: number; y: number }[];
  devices: { x: number; y: number }[];
}

const PAD = 24;
const DEVICE_W = 110;
const SERVER_W = 190;
const ROW_H = 380;
const SERVER_DY = 125; // server centre below a region's top
const DEVICE_DY = 285; // device centre below a region's top
const CLOUD_W = 240;
const CLOUD_SLOT_H = 150;
const MAX_ROW_W = 1400;
const GAP = 16;

/** Lay out a topology. */
export function layoutTopology(t: Topology): Layout {
  const devicesOf = new Map<string, number[]>();
  const serversOf = new Map<string, number[]>();
  for (const d of t.domains) devicesOf.set(d.id, []), serversOf.set(d.id, []);
  t.devices.forEach((d, i) => devicesOf.get(d.domain)?.push(i));
  t.servers.forEach((s, k) => serversOf.get(s.domain)?.push(k));

  const cloudOnly = (id: string): boolean => {
    const servers = serversOf.get(id)!;
    return devicesOf.get(id)!.length === 0 && servers.length > 0 && servers.every((k) => t.servers[k]!.kind === 'cloud');
  };
  const edge = t.domains.filter((d) => !cloudOnly(d.id));
  const clouds = t.domains.filter((d) => cloudOnly(d.id));

  // Edge domains fill rows left to right, wrapping at MAX_ROW_W.
  const widthOf = (id: string): number =>
    Math.max(devicesOf.get(id)!.length * DEVICE_W, serversOf.get(id)!.length * SERVER_W, 160) + 2 * PAD;
  const rows: { id: string; w: number }[][] = [];
  let row: { id: string; w: number }[] = [];
  let rowW = 0;
  for (const d of edge) {
    const w = widthOf(d.id);
    if (row.length > 0 && rowW + GAP + w > MAX_ROW_W) rows.push(row), (row = []), (rowW = 0);
    rowW += (row.length > 0 ? GAP : 0) + w;
    row.push({ id: d.id, w });
  }
  if (row.length > 0) rows.push(row);

  const rects = new Map<string, Rect>();
  const rowsW = Math.max(0, ...rows.map((r) => r.reduce((s, c) => s + c.w, 0) + GAP * (r.length - 1)));
  rows.forEach((r, ri) => {
    // Stretch each row to the widest so the regions tile like the drawing.
    const natural = r.reduce((s, c) => s + c.w, 0) + GAP * (r.length - 1);
    const extra = (rowsW - natural) / r.length;
    let x = PAD;
    for (const c of r) {
      const w = c.w + extra;
      rects.set(c.id, { x, y: PAD + ri * (ROW_H + GAP), w, h: ROW_H });
      x += w + GAP;
    }
  });
  const edgeH = rows.length * ROW_H + Math.max(0, rows.length - 1) * GAP;
  const cloudSlots = clouds.reduce((s, d) => s + serversOf.get(d.id)!.length, 0);
  const cloudNeedH = cloudSlots * CLOUD_SLOT_H + clouds.length * 2 * PAD + Math.max(0, clouds.length - 1) * GAP;
  const height = Math.max(edgeH, cloudNeedH, ROW_H);
  const cloudX = PAD + (rows.length > 0 ? rowsW + GAP : 0);
  let cy = PAD;
  for (const d of clouds) {
    const n = serversOf.get(d.id)!.length;
    const h = clouds.length === 1 ? height : Math.max(n * CLOUD_SLOT_H + 2 * PAD, 0) * (height / cloudNeedH);
    rects.set(d.id, { x: cloudX, y: cy, w: CLOUD_W, h });
    cy += h + GAP;
  }

  const servers = t.servers.map(() => ({ x: 0, y: 0 }));
  const devices = t.devices.map(() => ({ x: 0, y: 0 }));
  for (const d of t.domains) {
    const r = rects.get(d.id)!;
    const ks = serversOf.get(d.id)!;
    const is = devicesOf.get(d.id)!;
    if (cloudOnly(d.id)) {
      // Below the region's label, evenly down the column.
      ks.forEach((k, j) => (servers[k] = { x: r.x + r.w / 2 - 20, y: r.y + 40 + ((r.h - 40) * (j + 0.5)) / ks.length }));
      continue;
    }
    ks.forEach((k, j) => (servers[k] = { x: r.x + (r.w * (j + 0.5)) / ks.length, y: r.y + SERVER_DY }));
    is.forEach((i, j) => (devices[i] = { x: r.x + (r.w * (j + 0.5)) / is.length, y: r.y + DEVICE_DY }));
  }
  return {
    width: cloudX + (clouds.length > 0 ? CLOUD_W : -GAP) + PAD,
    height: height + 2 * PAD,
    domains: t.domains.map((d) => ({ id: d.id, label: d.label, cloudOnly: cloudOnly(d.id), ...rects.get(d.id)! })),
    servers,
    devices,
  };
}
