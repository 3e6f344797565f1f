// Charts of one connection over virtual time: each endpoint's state timeline (RFC 9293
// state names as the transport reports them) and every numeric metric its transport
// publishes — cwnd, ssthresh, SRTT and RTO for our TCP, whatever a swapped transport
// reports for its own. Step lines, with a marker at the current time.

import type { TraceEvent } from '@netlayers/core';
import { sameConnection } from '@netlayers/trace';
import { h, svg } from './dom.ts';

const WIDTH = 640;
const PAD = 48;

function scaleX(t: number, end: number): number {
  return PAD + (end === 0 ? 0 : (t / end) * (WIDTH - 2 * PAD));
}

function belongs(entity: string | undefined, connection: string): boolean {
  return entity !== undefined && (entity === connection || sameConnection(entity, connection));
}

export function renderStateTimeline(events: readonly TraceEvent[], connection: string, end: number, now: number): HTMLElement {
  const byNode = new Map<string, { time: number; state: string }[]>();
  for (const e of events) {
    if (e.kind !== 'state' || !belongs(e.entity, connection)) continue;
    const list = byNode.get(e.node) ?? [{ time: 0, state: e.from }];
    list.push({ time: e.time, state: e.to });
    byNode.set(e.node, list);
  }
  const rows = [...byNode];
  const height = 30 + rows.length * 40;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'state-timeline', role: 'img', 'aria-label': 'State timeline' });
  rows.forEach(([node, changes], r) => {
    const y = 20 + r * 40;
    root.appendChild(svg('text', { x: 2, y: y + 14, class: 'axis-label' }, node));
    changes.forEach((c, i) => {
      const x1 = scaleX(c.time, end);
      const x2 = scaleX(changes[i + 1]?.time ?? end, end);
      root.appendChild(svg('rect', { x: x1, y, width: Math.max(1, x2 - x1), height: 20, class: `state-bar state-${c.state}` }));
      if (x2 - x1 > c.state.length * 6) root.appendChild(svg('text', { x: x1 + 3, y: y + 14, class: 'state-bar-label' }, c.state));
    });
  });
  root.appendChild(svg('line', { x1: scaleX(now, end), x2: scaleX(now, end), y1: 10, y2: height, class: 'now' }));
  return h('figure', {}, h('figcaption', {}, 'States over time (hover a bar for its name)'), root);
}

export function renderMetricCharts(events: readonly TraceEvent[], connection: string, end: number, now: number): HTMLElement {
  const series = new Map<string, { time: number; value: number }[]>();
  for (const e of events) {
    if (e.kind !== 'metric' || !belongs(e.entity, connection)) continue;
    for (const [name, value] of Object.entries(e.values)) {
      if (typeof value !== 'number') continue;
      const key = `${e.node} ${name}`;
      series.set(key, [...(series.get(key) ?? []), { time: e.time, value }]);
    }
  }
  const figures = [...series].map(([name, points]) => {
    const max = Math.max(1, ...points.map((p) => p.value));
    const height = 120;
    const y = (v: number): number => height - 20 - (v / max) * (height - 40);
    let d = '';
    points.forEach((p, i) => {
      const x = scaleX(p.time, end);
      d += i === 0 ? `M ${x} ${y(p.value)}` : ` H ${x} V ${y(p.value)}`;
    });
    d += ` H ${scaleX(end, end)}`;
    const isTime = /rto|rtt/i.test(name);
    const unit = (v: number): string => (isTime ? `${(v / 1e6).toFixed(1)} ms` : `${v}`);
    const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'metric-chart', role: 'img', 'aria-label': name },
      svg('path', { d, class: 'series' }),
      svg('text', { x: 2, y: 14, class: 'axis-label' }, `max ${unit(max)}`),
      svg('line', { x1: scaleX(now, end), x2: scaleX(now, end), y1: 0, y2: height, class: 'now' }),
    );
    return h('figure', {}, h('figcaption', {}, `${name} (${points.length} changes)`), chart);
  });
  return h('div', { class: 'metrics' }, ...(figures.length > 0 ? figures : [h('p', { class: 'muted' }, 'This connection published no metrics.')]));
}
