// The ladder diagram as a standalone SVG: two lifelines, time running down, each segment a
// sloped arrow from its send instant to its arrival instant (lost ones stop short at an X),
// states in boxes beside the lifeline that changed, times in the margins. Plain SVG 1.1
// with inline styles, so it opens in a browser or drops into a slide.

import { formatSeconds } from '../format.ts';
import type { Ladder, LadderRow } from './model.ts';

export interface LadderSvgOptions {
  /** Pixel width (default 760). */
  readonly width?: number;
  /** Vertical distance between instants (default 26). */
  readonly rowHeight?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function renderLadderSvg(ladder: Ladder, options: LadderSvgOptions = {}): string {
  const width = options.width ?? 760;
  const rowHeight = options.rowHeight ?? 26;
  const xs = [Math.round(width * 0.27), Math.round(width * 0.73)] as const;
  const top = 96;

  // Every instant a row mentions (send, arrival, state, note) gets its own y, in event order.
  const instants = new Set<number>();
  for (const row of ladder.rows) {
    instants.add(row.index);
    if (row.kind === 'arrow' && row.arrivalIndex !== undefined) instants.add(row.arrivalIndex);
  }
  const order = [...instants].sort((a, b) => a - b);
  const yOf = new Map<number, number>(order.map((index, i) => [index, top + (i + 1) * rowHeight]));
  const bottom = top + (order.length + 2) * rowHeight;
  const height = bottom + 30;

  const parts: string[] = [];
  parts.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Menlo, Consolas, monospace" font-size="12">`);
  parts.push(`<title>${escapeXml(ladder.title)}</title>`);
  parts.push(`<defs><marker id="head" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#222"/></marker></defs>`);
  parts.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  parts.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(ladder.title)}</text>`);
  ladder.participants.forEach((p, i) => {
    const x = xs[i as 0 | 1];
    parts.push(`<rect x="${x - 90}" y="34" width="180" height="40" rx="4" fill="#eef3fb" stroke="#335"/>`);
    parts.push(`<text x="${x}" y="51" text-anchor="middle" font-weight="bold">${escapeXml(p.node)}</text>`);
    if (p.endpoint) parts.push(`<text x="${x}" y="67" text-anchor="middle">${escapeXml(p.endpoint)}</text>`);
    parts.push(`<line x1="${x}" y1="74" x2="${x}" y2="${bottom}" stroke="#888" stroke-dasharray="4 3"/>`);
    if (p.initialState) stateBox(i as 0 | 1, top, p.initialState);
  });
  for (const row of ladder.rows) drawRow(row);
  parts.push(`</svg>`);
  return `${parts.join('\n')}\n`;

  function stateBox(side: 0 | 1, y: number, text: string): void {
    const boxWidth = text.length * 7.5 + 12;
    const x = side === 0 ? xs[0] - 8 - boxWidth : xs[1] + 8;
    parts.push(`<rect x="${x}" y="${y - 11}" width="${boxWidth}" height="18" rx="3" fill="#fff6d5" stroke="#b90"/>`);
    parts.push(`<text x="${x + boxWidth / 2}" y="${y + 2}" text-anchor="middle">${escapeXml(text)}</text>`);
  }

  function timeLabel(side: 0 | 1, y: number, time: number): void {
    const x = side === 0 ? 8 : width - 8;
    parts.push(`<text x="${x}" y="${y + 4}" text-anchor="${side === 0 ? 'start' : 'end'}" fill="#666">${formatSeconds(time)}</text>`);
  }

  function drawRow(row: LadderRow): void {
    const y = yOf.get(row.index)!;
    if (row.kind === 'state') {
      stateBox(row.side, y, row.state);
      timeLabel(row.side, y, row.time);
      return;
    }
    if (row.kind === 'note') {
      const x = row.side === 0 ? xs[0] - 8 : xs[1] + 8;
      parts.push(`<text x="${x}" y="${y + 4}" text-anchor="${row.side === 0 ? 'end' : 'start'}" font-style="italic" fill="#555">${escapeXml(row.text)}</text>`);
      return;
    }
    const from = xs[row.from];
    const to = xs[row.from === 0 ? 1 : 0];
    const y2 = row.arrivalIndex !== undefined ? yOf.get(row.arrivalIndex)! : y + rowHeight;
    const colour = row.lost ? '#c0392b' : row.retransmission ? '#d35400' : '#222';
    const label = `${row.retransmission ? '[retransmission] ' : ''}${row.label}`;
    timeLabel(row.from, y, row.time);
    if (row.lost) {
      const ex = from + (to - from) * 0.6;
      const ey = y + (y2 - y) * 0.6;
      parts.push(`<line x1="${from}" y1="${y}" x2="${ex}" y2="${ey}" stroke="${colour}" stroke-width="1.5"/>`);
      parts.push(`<path d="M${ex - 6},${ey - 6} L${ex + 6},${ey + 6} M${ex - 6},${ey + 6} L${ex + 6},${ey - 6}" stroke="${colour}" stroke-width="2"/>`);
      parts.push(`<text x="${(from + ex) / 2}" y="${(y + ey) / 2 - 6}" text-anchor="middle" fill="${colour}">${escapeXml(`${label} [lost${row.lossReason ? `: ${row.lossReason}` : ''}]`)}</text>`);
      return;
    }
    if (row.arrival !== undefined) timeLabel(row.from === 0 ? 1 : 0, y2, row.arrival);
    parts.push(`<line x1="${from}" y1="${y}" x2="${to}" y2="${y2}" stroke="${colour}" stroke-width="1.5" marker-end="url(#head)"/>`);
    parts.push(`<text x="${(from + to) / 2}" y="${(y + y2) / 2 - 5}" text-anchor="middle" fill="${colour}">${escapeXml(label)}</text>`);
  }
}
