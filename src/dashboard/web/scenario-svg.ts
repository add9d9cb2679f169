/// <reference lib="dom" />
/**
 * The scenario drawing, after the paper's system model: domains as regions,
 * edge servers as towers and cloud servers as racks with their queues as
 * bars, devices as phones with battery, and for a replayed slot each task's
 * arrow to its server (green within the domain, red encrypted across
 * domains), sensitive tasks locked, local shares and deadline misses marked.
 */
import type { ReplaySlot, Topology } from '../shared/api-types.js';
import { layoutTopology, type Layout } from '../shared/layout.js';
import { s } from './dom.js';

/** Region fill and accent colour of domain i (the drawing's red, gold, blue, light blue first). */
const DOMAIN_COLORS: [string, string][] = [
  ['#fdeeee', '#b84a4a'], ['#fff6dc', '#b8860b'], ['#e6eefc', '#2f5fc4'], ['#e3f3fb', '#3b8bc2'],
  ['#eef7ec', '#3f8a3a'], ['#f3eefb', '#7448b5'], ['#fdf0e6', '#c0641c'], ['#eaf6f6', '#2a8b8b'],
];
export const ARROW = { within: '#22b14c', encrypted: '#e0302a', clear: '#f59e0b', violation: '#9333ea' } as const;
const TASK = { normal: '#ef5350', sensitive: '#2fb25a' } as const;

interface ServerParts { bar: SVGRectElement; text: SVGTextElement; x: number; y: number; kind: 'edge' | 'cloud' }
interface DeviceParts { g: SVGGElement; app: SVGRectElement; lock: SVGGElement; phone: SVGRectElement; outline: SVGRectElement; battery: SVGRectElement; badge: SVGGElement; local: SVGGElement; title: SVGTitleElement; x: number; y: number }

const BAR_W = 64;

function lockIcon(x: number, y: number, color: string, size = 1): SVGGElement {
  return s('g', { transform: `translate(${x} ${y}) scale(${size})`, class: 'lock' },
    s('path', { d: 'M-4 0 v-3 a4 4 0 0 1 8 0 v3', fill: 'none', stroke: color, 'stroke-width': 1.8 }),
    s('rect', { x: -5.5, y: 0, width: 11, height: 8, rx: 1.5, fill: color }),
    s('circle', { cx: 0, cy: 4, r: 1.3, fill: '#fff' }));
}

function tower(x: number, y: number, accent: string): SVGGElement {
  const g = s('g', { class: 'tower' });
  const top = y - 40;
  const base = y + 36;
  const leg = (t: number): number => 6 + 20 * t; // half-width at height fraction t from the top
  const yAt = (t: number): number => top + (base - top) * t;
  const d = [`M${x - 6} ${top} L${x - 26} ${base}`, `M${x + 6} ${top} L${x + 26} ${base}`, `M${x - 34} ${base} L${x + 34} ${base}`];
  for (const [a, b] of [[0.15, 0.45], [0.45, 0.8]] as const) {
    d.push(`M${x - leg(a)} ${yAt(a)} L${x + leg(b)} ${yAt(b)}`, `M${x + leg(a)} ${yAt(a)} L${x - leg(b)} ${yAt(b)}`, `M${x - leg(b)} ${yAt(b)} L${x + leg(b)} ${yAt(b)}`);
  }
  g.append(s('path', { d: d.join(' '), stroke: '#1f2328', 'stroke-width': 2.4, fill: 'none', 'stroke-linecap': 'round' }));
  g.append(s('rect', { x: x - 7, y: top - 7, width: 14, height: 7, rx: 2, fill: accent }));
  for (const r of [11, 17]) {
    g.append(s('path', { d: `M${x - r} ${top - 12} a${r} ${r} 0 0 1 0 ${r * 0.9}`, stroke: accent, 'stroke-width': 2, fill: 'none', transform: `translate(0 ${-r * 0.45})` }));
    g.append(s('path', { d: `M${x + r} ${top - 12} a${r} ${r} 0 0 0 0 ${r * 0.9}`, stroke: accent, 'stroke-width': 2, fill: 'none', transform: `translate(0 ${-r * 0.45})` }));
  }
  return g;
}

function rack(x: number, y: number): SVGGElement {
  const g = s('g', { class: 'rack' });
  for (let i = 0; i < 3; i++) {
    const yy = y - 34 + i * 20;
    g.append(s('rect', { x: x - 42, y: yy, width: 62, height: 17, rx: 3, fill: '#2f6fd6', stroke: '#1d4ea3', 'stroke-width': 1.5 }));
    g.append(s('circle', { cx: x - 34, cy: yy + 8.5, r: 2.2, fill: '#cfe0ff' }), s('rect', { x: x - 26, y: yy + 6.5, width: 30, height: 4, rx: 2, fill: '#cfe0ff' }));
  }
  // The cloud beside the rack.
  g.append(s('path', { d: `M${x + 8} ${y + 22} a10 10 0 0 1 2 -19 a13 13 0 0 1 24 -3 a10 10 0 0 1 6 22 z`, fill: '#e8f0ff', stroke: '#2f6fd6', 'stroke-width': 2 }));
  return g;
}

function phone(x: number, y: number): { g: SVGGElement; phone: SVGRectElement; app: SVGRectElement } {
  const g = s('g', { class: 'phone' });
  const body = s('rect', { x: x - 17, y: y - 30, width: 34, height: 60, rx: 6, fill: '#fff', stroke: '#1f2328', 'stroke-width': 2.4 });
  const app = s('rect', { x: x - 10, y: y - 18, width: 20, height: 22, rx: 3, fill: TASK.normal });
  g.append(body, s('rect', { x: x - 12, y: y - 23, width: 24, height: 41, rx: 2, fill: '#f6f8fa' }), app,
    s('circle', { cx: x, cy: y + 24, r: 2.6, fill: 'none', stroke: '#1f2328', 'stroke-width': 1.4 }));
  return { g, phone: body, app };
}

/** Where the boundary of an ellipse (rx, ry) around `c` meets the ray towards `p`. */
function clip(c: { x: number; y: number }, p: { x: number; y: number }, rx: number, ry: number): { x: number; y: number } {
  const dx = p.x - c.x;
  const dy = p.y - c.y;
  const k = 1 / Math.sqrt((dx / rx) ** 2 + (dy / ry) ** 2 || 1);
  return { x: c.x + dx * k, y: c.y + dy * k };
}

/** An SVG drawing of one topology that can show the decisions of a replayed slot. */
export class ScenarioSvg {
  readonly svg: SVGSVGElement;
  readonly layout: Layout;
  private servers: ServerParts[] = [];
  private devices: DeviceParts[] = [];
  private arrows: SVGGElement;

  constructor(readonly topology: Topology) {
    const t = topology;
    const l = (this.layout = layoutTopology(t));
    this.svg = s('svg', { viewBox: `0 0 ${l.width} ${l.height}`, class: 'scenario', id: 'scenario-svg', 'data-scenario': t.name, role: 'img', 'aria-label': `scenario ${t.name}` });
    const defs = s('defs');
    for (const [name, color] of Object.entries(ARROW)) {
      defs.append(s('marker', { id: `head-${name}`, viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 5, markerHeight: 5, orient: 'auto-start-reverse' }, s('path', { d: 'M0 0 L10 5 L0 10 z', fill: color })));
    }
    this.svg.append(defs);
    this.svg.append(s('rect', { x: 6, y: 6, width: l.width - 12, height: l.height - 12, rx: 40, fill: 'none', stroke: '#1f2328', 'stroke-width': 2, 'stroke-dasharray': '9 7' }));
    const domainIndex = new Map(t.domains.map((d, i) => [d.id, i]));
    const colorOf = (id: string): [string, string] => DOMAIN_COLORS[(domainIndex.get(id) ?? 0) % DOMAIN_COLORS.length]!;

    l.domains.forEach((d) => {
      const [fill, accent] = colorOf(d.id);
      const g = s('g', { 'data-kind': 'domain', 'data-id': d.id });
      g.append(s('rect', { x: d.x, y: d.y, width: d.w, height: d.h, rx: 18, fill, stroke: accent, 'stroke-width': 1.6, 'stroke-dasharray': '6 4' }));
      const label = d.label;
      const w = 16 + label.length * 9.6; // bold 15 px glyphs are about 9.6 units wide
      g.append(s('rect', { x: d.x + 12, y: d.y + 12, width: w, height: 26, rx: 6, fill: '#fff', stroke: accent, 'stroke-dasharray': '4 3' }),
        s('text', { x: d.x + 18, y: d.y + 30, class: 'domain-label', fill: accent }, label));
      this.svg.append(g);
    });

    this.arrows = s('g', { class: 'arrows' });
    t.servers.forEach((srv, k) => {
      const p = l.servers[k]!;
      const [, accent] = colorOf(srv.domain);
      const g = s('g', { 'data-kind': 'server', 'data-id': srv.id, 'data-server-kind': srv.kind });
      const cloud = srv.kind === 'cloud';
      g.append(cloud ? rack(p.x, p.y) : tower(p.x, p.y, accent));
      g.append(s('text', { x: cloud ? p.x - 11 : p.x, y: cloud ? p.y - 44 : p.y - 66, class: 'node-label', 'text-anchor': 'middle' }, srv.id.toUpperCase()));
      const bx = cloud ? p.x - 42 : p.x + 36;
      const by = cloud ? p.y + 30 : p.y + 4;
      const frame = s('g', { class: 'queue' });
      frame.append(s('rect', { x: bx, y: by, width: BAR_W, height: 14, fill: '#fff', stroke: '#3b82f6', 'stroke-width': 1.4 }));
      const bar = s('rect', { x: bx, y: by, width: 0, height: 14, fill: '#60a5fa', class: 'queue-fill' });
      frame.append(bar);
      for (let c = 1; c < 4; c++) frame.append(s('line', { x1: bx + (c * BAR_W) / 4, y1: by, x2: bx + (c * BAR_W) / 4, y2: by + 14, stroke: '#3b82f6', 'stroke-width': 1 }));
      const text = s('text', { x: bx, y: by + 27, class: 'small' }, `f = ${srv.capacity}`);
      frame.append(s('title', {}, `${srv.id}: queue backlog [s]`));
      g.append(frame, text);
      this.servers.push({ bar, text, x: p.x, y: p.y, kind: srv.kind });
      this.svg.append(g);
    });
    this.svg.append(this.arrows);

    t.devices.forEach((dev, i) => {
      const p = l.devices[i]!;
      const g = s('g', { 'data-kind': 'device', 'data-id': dev.id });
      const title = s('title', {}, dev.id);
      const outline = s('rect', { x: p.x - 24, y: p.y - 37, width: 48, height: 74, rx: 9, fill: 'none', stroke: 'none', 'stroke-width': 2, 'stroke-dasharray': '5 3' });
      const ph = phone(p.x, p.y);
      const lock = lockIcon(p.x, p.y - 9, '#fff', 0.9);
      lock.style.display = 'none';
      const battery = s('rect', { x: p.x - 11, y: p.y - 47, width: 20, height: 9, fill: '#3f9a3f' });
      const badge = s('g', { class: 'badge' });
      const local = s('g', { class: 'local' });
      g.append(title, outline, ph.g, lock,
        s('rect', { x: p.x - 12, y: p.y - 48, width: 22, height: 11, rx: 2, fill: '#fff', stroke: '#555', 'stroke-width': 1.2 }),
        s('rect', { x: p.x + 10, y: p.y - 45, width: 2.5, height: 5, fill: '#555' }), battery, badge, local,
        s('text', { x: p.x, y: p.y + 50, class: 'node-label', 'text-anchor': 'middle' }, dev.id.toUpperCase()));
      this.devices.push({ g, app: ph.app, lock, phone: ph.phone, outline, battery, badge, local, title, x: p.x, y: p.y });
      this.svg.append(g);
    });
  }

  /** Show slot `r` (null: the topology alone). Queue bars are scaled to `maxBacklog` seconds. */
  show(r: ReplaySlot | null, maxBacklog: number): void {
    const t = this.topology;
    this.arrows.replaceChildren();
    this.servers.forEach((p, k) => {
      const b = r ? r.backlog[k]! : 0;
      p.bar.setAttribute('width', String(Math.min(1, b / Math.max(maxBacklog, 1e-9)) * BAR_W));
      p.text.textContent = r ? `queue ${b.toFixed(2)} s` : `f = ${t.servers[k]!.capacity}`;
    });
    this.devices.forEach((d, i) => {
      d.badge.replaceChildren();
      d.local.replaceChildren();
      if (!r) {
        d.app.setAttribute('fill', '#c9d1d9');
        d.lock.style.display = 'none';
        d.outline.setAttribute('stroke', 'none');
        d.phone.setAttribute('stroke', '#1f2328');
        d.g.removeAttribute('data-miss');
        return;
      }
      const sensitive = r.sensitive[i]!;
      d.app.setAttribute('fill', sensitive ? TASK.sensitive : TASK.normal);
      d.lock.style.display = sensitive ? '' : 'none';
      d.outline.setAttribute('stroke', sensitive ? TASK.sensitive : 'none');
      const ok = r.success[i]!;
      d.g.setAttribute('data-miss', ok ? 'false' : 'true');
      d.phone.setAttribute('stroke', ok ? '#1f2328' : '#e0302a');
      d.phone.setAttribute('stroke-width', ok ? '2.4' : '3.6');
      const bx = d.x + 19;
      const by = d.y - 30;
      d.badge.append(s('circle', { cx: bx, cy: by, r: 9, fill: ok ? '#22b14c' : '#e0302a', stroke: '#fff', 'stroke-width': 1.5 }),
        s('path', { d: ok ? `M${bx - 4} ${by} l3 3.5 l5.5 -7` : `M${bx - 3.8} ${by - 3.8} l7.6 7.6 M${bx + 3.8} ${by - 3.8} l-7.6 7.6`, stroke: '#fff', 'stroke-width': 2.2, fill: 'none', 'stroke-linecap': 'round' }));
      if (!ok) {
        d.badge.append(s('text', { x: d.x, y: d.y + 65, class: 'miss', 'text-anchor': 'middle' }, 'missed'),
          s('text', { x: d.x, y: d.y + 79, class: 'miss', 'text-anchor': 'middle' }, `T ${r.T[i]!.toFixed(2)} s`));
      }
      // Battery: share of the energy budget left.
      const budget = t.devices[i]!.energyBudget;
      const left = r.energyLeft[i];
      const share = budget === null || left === null || left === undefined ? 1 : Math.max(0, Math.min(1, left / budget));
      d.battery.setAttribute('width', String(20 * share));
      d.battery.setAttribute('fill', share > 0.5 ? '#3f9a3f' : share > 0.2 ? '#e0a800' : '#e0302a');
      // Local share: a small pie on the device's lower left.
      const rho = r.server[i]! < 0 ? 0 : r.rho[i]!;
      const localShare = 1 - rho;
      const cx = d.x - 21;
      const cy = d.y + 22;
      if (localShare > 1e-6) {
        d.local.append(s('circle', { cx, cy, r: 8, fill: '#fff', stroke: '#6b7280', 'stroke-width': 1.4 }));
        if (localShare >= 0.999) d.local.append(s('circle', { cx, cy, r: 8, fill: '#6b7280' }));
        else {
          const a = 2 * Math.PI * localShare;
          const x2 = cx + 8 * Math.sin(a);
          const y2 = cy - 8 * Math.cos(a);
          d.local.append(s('path', { d: `M${cx} ${cy} L${cx} ${cy - 8} A8 8 0 ${a > Math.PI ? 1 : 0} 1 ${x2} ${y2} z`, fill: '#6b7280' }));
        }
        d.local.append(s('title', {}, `run locally: ${(100 * localShare).toFixed(0)} %`));
      }
      const k = r.server[i]!;
      const target = k >= 0 && rho > 1e-6 ? t.servers[k]! : null;
      d.title.textContent = `${t.devices[i]!.id}: task ${r.work[i]!.toFixed(2)} work, deadline ${r.deadline[i]!.toFixed(2)} s${sensitive ? ', sensitive' : ''}; ` +
        `${target ? `${(100 * rho).toFixed(0)} % to ${target.id}${r.encrypted[i] ? ' (encrypted)' : ''}` : 'all local'}; T = ${r.T[i]!.toFixed(2)} s, cost ${r.cost[i]!.toFixed(2)}${ok ? '' : ' — MISSED'}`;
      if (!target) return;
      const srv = this.servers[k]!;
      const kind = r.violation[i] ? 'violation' : !r.crossDomain[i] ? 'within' : r.encrypted[i] ? 'encrypted' : 'clear';
      const color = ARROW[kind];
      const from = clip(d, srv, 30, 44);
      const to = clip(srv, d, srv.kind === 'cloud' ? 52 : 40, 52);
      // Bend alternately so arrows to one server stay apart.
      const mx = (from.x + to.x) / 2;
      const my = (from.y + to.y) / 2;
      const len = Math.hypot(to.x - from.x, to.y - from.y) || 1;
      const bend = (i % 2 === 0 ? 1 : -1) * Math.min(40, 0.12 * len);
      const qx = mx + (-(to.y - from.y) / len) * bend;
      const qy = my + ((to.x - from.x) / len) * bend;
      const g = s('g', { class: `arrow ${kind}`, 'data-device': t.devices[i]!.id, 'data-server': srv.kind === 'cloud' ? t.servers[k]!.id : t.servers[k]!.id });
      g.append(s('path', { d: `M${from.x} ${from.y} Q${qx} ${qy} ${to.x} ${to.y}`, fill: 'none', stroke: color, 'stroke-width': 3, 'stroke-dasharray': '9 6', 'marker-end': `url(#head-${kind})` }));
      // Label at the curve's midpoint (t = 0.5 of the quadratic).
      const lx = 0.25 * from.x + 0.5 * qx + 0.25 * to.x;
      const ly = 0.25 * from.y + 0.5 * qy + 0.25 * to.y;
      const label = `${(100 * rho).toFixed(0)}%`;
      const lw = 8 + label.length * 7 + (r.encrypted[i] ? 14 : 0);
      g.append(s('rect', { x: lx - lw / 2, y: ly - 9, width: lw, height: 18, rx: 9, fill: '#fff', stroke: color, 'stroke-width': 1.2 }),
        s('text', { x: lx - lw / 2 + 5, y: ly + 4.5, class: 'arrow-label', fill: color }, label));
      if (r.encrypted[i]) g.append(lockIcon(lx + lw / 2 - 10, ly - 2, color, 0.8));
      g.append(s('title', {}, `${t.devices[i]!.id} → ${srv.kind === 'cloud' ? 'cloud ' : ''}${t.servers[k]!.id}: ${label} offloaded, ${kind === 'within' ? 'within its domain (clear)' : kind === 'encrypted' ? 'encrypted, cross-domain' : kind === 'violation' ? 'security violation' : 'cross-domain, not encrypted'}`));
      this.arrows.append(g);
    });
  }
}
