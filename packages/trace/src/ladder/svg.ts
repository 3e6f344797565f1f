// The ladder diagram as a standalone SVG: two lifelines, time running down, each segment a
// sloped arrow from its send instant to its arrival instant (lost ones stop short at an X),
// states in boxes beside the lifeline that changed, times (in seconds) in the margins.
// Plain SVG 1.1 with inline styles, so it opens in a browser or drops into a slide.
// The canvas is sized to its content: the lifelines stand as far apart as the longest
// arrow label needs, the margins as wide as the widest state box, note and time, and every
// instant (send, arrival, state, note) has its own row, in the order the events happened.

import { formatSeconds } from '../format.ts';
import type { Ladder, LadderRow } from './model.ts';

export interface LadderSvgOptions {
  /** Smallest pixel width (default 760); the canvas grows to fit long labels. */
  readonly width?: number;
  /** Vertical distance between instants (default 26). */
  readonly rowHeight?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Advance of one character of the 12 px monospace font (0.6 em, as Menlo, Consolas and DejaVu Sans Mono), rounded up. */
const CHAR = 7.5;
/** Of the 14 px bold title. */
const TITLE_CHAR = 8.8;
const MARGIN = 12;
/** Between a lifeline and what stands beside it. */
const PAD = 8;

const textWidth = (text: string, char = CHAR): number => Math.ceil([...text].length * char);
const boxWidthOf = (state: string): number => textWidth(state) + 12;

function arrowLabel(row: Extract<LadderRow, { kind: 'arrow' }>): string {
  const label = `${row.retransmission ? '[retransmission] ' : ''}${row.duplicate ? '[duplicate] ' : ''}${row.label}`;
  return row.lost ? `${label} [lost${row.lossReason ? `: ${row.lossReason}` : ''}]` : label;
}

interface Layout {
  readonly width: number;
  readonly xs: readonly [number, number];
  readonly participantWidth: number;
}

/** Where the lifelines go and how wide the canvas is, from what has to fit. */
function layout(ladder: Ladder, minWidth: number): Layout {
  const beside: [number, number] = [0, 0];
  let times = textWidth('t (s)');
  let labels = 0;
  const widen = (side: 0 | 1, w: number): void => {
    beside[side] = Math.max(beside[side], w);
  };
  ladder.participants.forEach((p, i) => {
    if (p.initialState) widen(i as 0 | 1, boxWidthOf(p.initialState));
  });
  for (const row of ladder.rows) {
    if (row.kind === 'state') {
      widen(row.side, boxWidthOf(row.state));
      times = Math.max(times, textWidth(formatSeconds(row.time)));
    } else if (row.kind === 'note') {
      widen(row.side, textWidth(row.text));
    } else {
      labels = Math.max(labels, textWidth(arrowLabel(row)));
      times = Math.max(times, textWidth(formatSeconds(row.time)));
      if (row.arrival !== undefined) times = Math.max(times, textWidth(formatSeconds(row.arrival)));
    }
  }
  const participantWidth = Math.max(180, ...ladder.participants.map((p) => Math.max(textWidth(p.node), textWidth(p.endpoint)) + 20));
  const gap = Math.max(300, labels + 2 * PAD, participantWidth + 2 * PAD);
  const x0 = Math.ceil(Math.max(MARGIN + times + PAD + beside[0] + PAD, MARGIN + participantWidth / 2));
  const x1 = x0 + gap;
  const contentRight = Math.ceil(Math.max(x1 + PAD + beside[1] + PAD + times + MARGIN, x1 + participantWidth / 2 + MARGIN));
  const title = textWidth(ladder.title, TITLE_CHAR) + 2 * MARGIN;
  return { width: Math.max(minWidth, contentRight, title), xs: [x0, x1], participantWidth };
}

export function renderLadderSvg(ladder: Ladder, options: LadderSvgOptions = {}): string {
  const rowHeight = options.rowHeight ?? 26;
  const { width, xs, participantWidth } = layout(ladder, options.width ?? 760);
  const top = 96;

  // Every instant a row mentions (send, arrival, state, note) gets its own y, in event order
  // (the order things happened: events are recorded as they are published, in virtual time).
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
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Menlo, Consolas, 'DejaVu Sans Mono', monospace" font-size="12">`);
  parts.push(`<title>${escapeXml(ladder.title)}</title>`);
  parts.push(`<defs><marker id="head" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#222"/></marker></defs>`);
  parts.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  parts.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(ladder.title)}</text>`);
  parts.push(`<text x="${MARGIN}" y="${top - 4}" fill="#666">t (s)</text>`);
  parts.push(`<text x="${width - MARGIN}" y="${top - 4}" text-anchor="end" fill="#666">t (s)</text>`);
  ladder.participants.forEach((p, i) => {
    const x = xs[i as 0 | 1];
    parts.push(`<rect x="${x - participantWidth / 2}" y="34" width="${participantWidth}" height="40" rx="4" fill="#eef3fb" stroke="#335"/>`);
    parts.push(`<text x="${x}" y="51" text-anchor="middle" font-weight="bold">${escapeXml(p.node)}</text>`);
    if (p.endpoint) parts.push(`<text x="${x}" y="67" text-anchor="middle">${escapeXml(p.endpoint)}</text>`);
    parts.push(`<line x1="${x}" y1="74" x2="${x}" y2="${bottom}" stroke="#888" stroke-dasharray="4 3"/>`);
    if (p.initialState) stateBox(i as 0 | 1, top, p.initialState);
  });
  for (const row of ladder.rows) drawRow(row);
  parts.push(`</svg>`);
  return `${parts.join('\n')}\n`;

  function stateBox(side: 0 | 1, y: number, text: string): void {
    const boxWidth = boxWidthOf(text);
    const x = side === 0 ? xs[0] - PAD - boxWidth : xs[1] + PAD;
    parts.push(`<rect x="${x}" y="${y - 11}" width="${boxWidth}" height="18" rx="3" fill="#fff6d5" stroke="#b90"/>`);
    parts.push(`<text x="${x + boxWidth / 2}" y="${y + 2}" text-anchor="middle">${escapeXml(text)}</text>`);
  }

  function timeLabel(side: 0 | 1, y: number, time: number): void {
    const x = side === 0 ? MARGIN : width - MARGIN;
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
      const x = row.side === 0 ? xs[0] - PAD : xs[1] + PAD;
      parts.push(`<text x="${x}" y="${y + 4}" text-anchor="${row.side === 0 ? 'end' : 'start'}" font-style="italic" fill="#555">${escapeXml(row.text)}</text>`);
      return;
    }
    const from = xs[row.from];
    const to = xs[row.from === 0 ? 1 : 0];
    const y2 = row.arrivalIndex !== undefined ? yOf.get(row.arrivalIndex)! : y + rowHeight;
    const colour = row.lost ? '#c0392b' : row.retransmission ? '#d35400' : '#222';
    const label = arrowLabel(row);
    const middle = (xs[0] + xs[1]) / 2;
    timeLabel(row.from, y, row.time);
    if (row.lost) {
      const ex = from + (to - from) * 0.6;
      const ey = y + (y2 - y) * 0.6;
      parts.push(`<line x1="${from}" y1="${y}" x2="${ex}" y2="${ey}" stroke="${colour}" stroke-width="1.5"/>`);
      parts.push(`<path d="M${ex - 6},${ey - 6} L${ex + 6},${ey + 6} M${ex - 6},${ey + 6} L${ex + 6},${ey - 6}" stroke="${colour}" stroke-width="2"/>`);
      parts.push(`<text x="${middle}" y="${(y + ey) / 2 - 6}" text-anchor="middle" fill="${colour}">${escapeXml(label)}</text>`);
      return;
    }
    if (row.arrival !== undefined) timeLabel(row.from === 0 ? 1 : 0, y2, row.arrival);
    parts.push(`<line x1="${from}" y1="${y}" x2="${to}" y2="${y2}" stroke="${colour}" stroke-width="1.5" marker-end="url(#head)"/>`);
    parts.push(`<text x="${middle}" y="${(y + y2) / 2 - 5}" text-anchor="middle" fill="${colour}">${escapeXml(label)}</text>`);
  }
}
