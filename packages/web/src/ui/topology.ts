// The topology view: nodes, links and interfaces with their addresses, laid out by
// breadth-first distance from the first host, with the frames in flight at the current
// virtual time drawn along their links. A frame the medium lost is marked ✗ and "lost",
// so colour is never the only signal.

import type { RecordedNetwork, TopologyNode } from '../protocol.ts';
import type { Transmission } from '../timeline.ts';
import { svg } from './dom.ts';

interface Placed {
  readonly node: TopologyNode;
  readonly x: number;
  readonly y: number;
}

const COLUMN = 190;
const ROW = 110;
const MARGIN = 80;

export function layout(run: RecordedNetwork): Map<string, Placed> {
  const adjacency = new Map<string, string[]>();
  for (const l of run.links) {
    adjacency.set(l.a, [...(adjacency.get(l.a) ?? []), l.b]);
    adjacency.set(l.b, [...(adjacency.get(l.b) ?? []), l.a]);
  }
  const depth = new Map<string, number>();
  const start = run.nodes.find((n) => n.kind === 'host') ?? run.nodes[0];
  const queue: string[] = [];
  for (const root of [start, ...run.nodes]) {
    if (root === undefined || depth.has(root.name)) continue;
    const base = depth.size === 0 ? 0 : Math.max(...depth.values()) + 1;
    depth.set(root.name, base);
    queue.push(root.name);
    while (queue.length > 0) {
      const name = queue.shift()!;
      for (const next of adjacency.get(name) ?? []) {
        if (depth.has(next)) continue;
        depth.set(next, depth.get(name)! + 1);
        queue.push(next);
      }
    }
  }
  const columns = new Map<number, TopologyNode[]>();
  for (const node of run.nodes) {
    const d = depth.get(node.name) ?? 0;
    columns.set(d, [...(columns.get(d) ?? []), node]);
  }
  const tallest = Math.max(1, ...[...columns.values()].map((c) => c.length));
  const placed = new Map<string, Placed>();
  for (const [d, nodes] of columns) {
    nodes.forEach((node, i) => {
      const y = MARGIN + ((tallest - nodes.length) * ROW) / 2 + i * ROW;
      placed.set(node.name, { node, x: MARGIN + d * COLUMN, y });
    });
  }
  return placed;
}

const SHAPE: Readonly<Record<TopologyNode['kind'], string>> = { host: '▣', router: '⇄', switch: '⇆', segment: '═' };

export function renderTopology(run: RecordedNetwork, placed: Map<string, Placed>, time: number, transmissions: readonly Transmission[], selected: Transmission | undefined): SVGSVGElement {
  const width = Math.max(...[...placed.values()].map((p) => p.x)) + MARGIN + 60;
  const height = Math.max(...[...placed.values()].map((p) => p.y)) + MARGIN + 20;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Network topology', class: 'topology' });
  for (const l of run.links) {
    const a = placed.get(l.a);
    const b = placed.get(l.b);
    if (a === undefined || b === undefined) continue;
    root.appendChild(svg('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: 'link' }));
    // The label's medium details ("100 Mbit/s, 1 ms"), under the line, so it fits between nodes.
    const parts = l.label.split(',').map((p) => p.trim());
    const details = parts.length > 1 ? parts.slice(1, 3).join(', ') : l.label;
    const label = svg('text', { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 + 16, class: 'link-label', 'text-anchor': 'middle' }, details);
    label.appendChild(svg('title', {}, l.label));
    root.appendChild(label);
  }
  for (const p of placed.values()) {
    const g = svg('g', { class: `node node-${p.node.kind}`, 'data-node': p.node.name });
    g.appendChild(svg('rect', { x: p.x - 42, y: p.y - 20, width: 84, height: 40, rx: 8 }));
    g.appendChild(svg('text', { x: p.x, y: p.y + 5, 'text-anchor': 'middle', class: 'node-name' }, `${SHAPE[p.node.kind]} ${p.node.name}`));
    p.node.interfaces.forEach((i, k) => {
      if (i.address === undefined) return;
      g.appendChild(svg('text', { x: p.x, y: p.y + 34 + k * 13, 'text-anchor': 'middle', class: 'iface' }, `${i.name} ${i.address}`));
    });
    root.appendChild(g);
  }
  for (const t of transmissions) {
    const a = placed.get(t.from);
    const b = placed.get(t.to);
    if (a === undefined || b === undefined || time < t.sent) continue;
    const isSelected = t === selected;
    if (t.arrived === undefined) {
      // Lost: shown for a moment after it was sent, half-way along the link.
      if (!isSelected && time > t.sent + 2_000_000) continue;
      const x = (a.x + b.x) / 2;
      const y = (a.y + b.y) / 2;
      root.appendChild(svg('text', { x, y: y + 18, 'text-anchor': 'middle', class: 'frame-lost' }, '✗ lost'));
      continue;
    }
    if (time > t.arrived && !isSelected) continue;
    const span = Math.max(1, t.arrived - t.sent);
    const f = Math.min(1, Math.max(0, (time - t.sent) / span));
    const x = a.x + (b.x - a.x) * f;
    const y = a.y + (b.y - a.y) * f;
    const dot = svg('circle', { cx: x, cy: y, r: isSelected ? 9 : 6, class: isSelected ? 'frame frame-selected' : 'frame' });
    dot.appendChild(svg('title', {}, t.label));
    root.appendChild(dot);
  }
  return root;
}
