// The ladder (sequence) diagram of one connection, drawn from the trace package's ladder
// model, interactive: every arrow and state box carries the event it came from, so clicking
// it selects that event in the list and the selected event is highlighted here.

import { buildLadder, type Ladder } from '@netlayers/trace';
import type { TraceEvent } from '@netlayers/core';
import { svg } from './dom.ts';

const ROW = 34;
const TOP = 60;

export function connectionLadder(events: readonly TraceEvent[], connection: string): Ladder {
  return buildLadder(events, { connection, relative: false });
}

export function renderLadder(ladder: Ladder, selectedIndex: number | undefined, onSelect: (eventIndex: number) => void): SVGSVGElement {
  const labels = ladder.rows.map((r) => (r.kind === 'arrow' ? r.label : r.kind === 'state' ? r.state : r.text));
  const longest = Math.max(20, ...labels.map((l) => l.length));
  const gap = Math.max(360, longest * 7.5 + 80);
  const left = 150;
  const right = left + gap;
  const width = right + 150;
  const height = TOP + ladder.rows.length * ROW + 30;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'ladder', role: 'img', 'aria-label': ladder.title });
  const xs = [left, right] as const;
  ladder.participants.forEach((p, i) => {
    root.appendChild(svg('text', { x: xs[i]!, y: 20, 'text-anchor': 'middle', class: 'participant' }, p.node));
    root.appendChild(svg('text', { x: xs[i]!, y: 36, 'text-anchor': 'middle', class: 'endpoint' }, p.endpoint));
    root.appendChild(svg('line', { x1: xs[i]!, y1: 44, x2: xs[i]!, y2: height - 10, class: 'lifeline' }));
  });
  ladder.rows.forEach((row, i) => {
    const y = TOP + i * ROW;
    const selected = selectedIndex !== undefined && (row.index === selectedIndex || (row.kind === 'arrow' && row.arrivalIndex === selectedIndex));
    const g = svg('g', { class: `row row-${row.kind}${selected ? ' selected' : ''}`, 'data-event': row.index, tabindex: 0 });
    g.addEventListener('click', () => onSelect(row.index));
    if (row.kind === 'arrow') {
      const x1 = xs[row.from];
      const x2 = xs[row.from === 0 ? 1 : 0];
      const end = row.lost ? x1 + (x2 - x1) * 0.6 : x2;
      g.appendChild(svg('line', { x1, y1: y, x2: end, y2: y + 14, class: `arrow${row.lost ? ' lost' : ''}${row.duplicate ? ' duplicate' : ''}`, 'marker-end': row.lost ? '' : 'url(#head)' }));
      // The medium's extra copy of a frame says so in words, as the trace's text, Mermaid and SVG ladders do.
      const label = `${row.duplicate ? '[duplicate] ' : ''}${row.retransmission ? '↻ ' : ''}${row.label}${row.lost ? ' ✗ lost' : ''}`;
      g.appendChild(svg('text', { x: (x1 + x2) / 2, y: y - 2, 'text-anchor': 'middle', class: 'arrow-label' }, label));
      g.appendChild(svg('text', { x: 8, y: y + 4, class: 'time' }, `${(row.time / 1e6).toFixed(3)} ms`));
    } else {
      const x = xs[row.side];
      const text = row.kind === 'state' ? row.state : row.text;
      const w = Math.max(60, text.length * 7 + 12);
      g.appendChild(svg('rect', { x: x - w / 2, y: y - 12, width: w, height: 20, rx: 4, class: row.kind === 'state' ? 'state' : 'note' }));
      g.appendChild(svg('text', { x, y: y + 2, 'text-anchor': 'middle', class: 'state-label' }, text));
    }
    root.appendChild(g);
  });
  const defs = svg('defs', {}, svg('marker', { id: 'head', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' })));
  root.insertBefore(defs, root.firstChild);
  return root;
}
