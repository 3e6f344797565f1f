// The ladder diagram as terminal text: time runs down, one row per segment or state change.
// Each arrow row shows the send time on the sender's side and the arrival time on the
// receiver's side (an arrow ending in X was lost); states appear beside the lifeline of the
// side that changed. Fits the requested width (80–100 columns), reads without colour, and
// adds ANSI colour only when asked. Times are seconds with their unit ("0.001067 s"), the
// precision the tcpdump lines and the other ladder renderers use.

import { fit, formatSeconds } from '../format.ts';
import type { Ladder, LadderArrow, LadderRow } from './model.ts';

export interface LadderTextOptions {
  /** Total width in columns (default 100, at least 72). */
  readonly width?: number;
  /** ANSI colour (default false). */
  readonly color?: boolean;
}

const STATE_WIDTH = 12;

const ansi = {
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  magenta: '\x1b[35m',
  reset: '\x1b[0m',
};

export function renderLadderText(ladder: Ladder, options: LadderTextOptions = {}): string {
  const width = Math.max(72, options.width ?? 100);
  // Time columns grow for long runs ("240.000250 s" after a 2*MSL TIME-WAIT).
  let latest = 0;
  for (const row of ladder.rows) latest = Math.max(latest, row.time, row.kind === 'arrow' ? (row.arrival ?? 0) : 0);
  const TIME_WIDTH = Math.max(10, stamp(latest).length);
  const GUTTER = TIME_WIDTH + 1 + STATE_WIDTH + 1;
  const inner = width - 2 * GUTTER - 2;
  // Colour wraps only the visible text, so padding stays plain and the layout is unchanged.
  const paint = (code: string, text: string): string => {
    if (!options.color || text.trim() === '') return text;
    const m = /^(\s*)(.*?)(\s*)$/s.exec(text)!;
    return `${m[1]}${code}${m[2]}${ansi.reset}${m[3]}`;
  };
  const [left, right] = ladder.participants;
  const lines: string[] = [];
  const line = (lt: string, ls: string, middle: string, rs: string, rt: string): void => {
    lines.push(`${lt} ${ls} |${middle}| ${rs} ${rt}`.replace(/\s+$/, ''));
  };
  const blankTime = ' '.repeat(TIME_WIDTH);
  const blankState = ' '.repeat(STATE_WIDTH);
  const empty = ' '.repeat(inner);

  for (const part of wrapTitle(ladder.title, width)) lines.push(paint(ansi.bold, part));
  // Header: node names and endpoints sit over their lifelines.
  const header = (a: string, b: string): string => `${fit(a, GUTTER + 1, 'right')}${' '.repeat(inner)}${b}`.replace(/\s+$/, '');
  lines.push(header(left.node, right.node));
  if (left.endpoint || right.endpoint) lines.push(header(left.endpoint, right.endpoint));
  line(
    blankTime,
    paint(ansi.yellow, fit(left.initialState ?? '', STATE_WIDTH, 'right')),
    empty,
    paint(ansi.yellow, fit(right.initialState ?? '', STATE_WIDTH)),
    blankTime,
  );

  for (const row of ladder.rows) renderRow(row);
  return `${lines.join('\n')}\n`;

  function renderRow(row: LadderRow): void {
    if (row.kind === 'state') {
      const state = paint(ansi.yellow, fit(row.state, STATE_WIDTH, row.side === 0 ? 'right' : 'left'));
      if (row.side === 0) line(fit(stamp(row.time), TIME_WIDTH, 'right'), state, empty, blankState, blankTime);
      else line(blankTime, blankState, empty, state, fit(stamp(row.time), TIME_WIDTH));
      return;
    }
    if (row.kind === 'note') {
      const text = fit(`(${row.text})`, inner - 2, row.side === 0 ? 'left' : 'right');
      line(blankTime, blankState, paint(ansi.dim, ` ${text} `), blankState, blankTime);
      return;
    }
    renderArrow(row);
  }

  function renderArrow(arrow: LadderArrow): void {
    const label = `${arrow.retransmission ? '[retransmission] ' : ''}${arrow.duplicate ? '[duplicate] ' : ''}${arrow.label}${arrow.lost ? ' [lost]' : ''}`;
    // A lost arrow stops short of the peer's lifeline: at three quarters of the way, or
    // further when its label needs the room, always leaving a gap before the lifeline.
    const body = arrow.lost ? Math.max(Math.floor(inner * 0.75), Math.min(inner - 8, label.length + 6)) : inner - 2;
    const inline = label.length + 6 <= body;
    if (!inline) {
      line(blankTime, blankState, fit(` ${fit(label, inner - 2, 'center')} `, inner), blankState, blankTime);
    }
    const shaft = arrowShaft(arrow, inline ? label : '', inner);
    const colour = arrow.lost ? ansi.red : arrow.from === 0 ? ansi.cyan : ansi.magenta;
    const sendTime = fit(stamp(arrow.time), TIME_WIDTH, arrow.from === 0 ? 'right' : 'left');
    const arrival = arrow.arrival !== undefined ? fit(stamp(arrow.arrival), TIME_WIDTH, arrow.from === 0 ? 'left' : 'right') : blankTime;
    if (arrow.from === 0) line(sendTime, blankState, paint(colour, shaft), blankState, arrival);
    else line(arrival, blankState, paint(colour, shaft), blankState, sendTime);
    if (arrow.lost && arrow.lossReason) renderRow({ kind: 'note', side: arrow.from, time: arrow.time, index: arrow.index, text: `lost: ${arrow.lossReason}` });
  }
}

/** A time with its unit: "0.001067 s". */
function stamp(ns: number): string {
  return `${formatSeconds(ns)} s`;
}

/** The title on as many lines as it needs within `width`, broken at spaces. */
function wrapTitle(title: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of title.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** "--- label --->" spanning `width` columns, pointing away from the sender; lost arrows stop short with an X. */
function arrowShaft(arrow: LadderArrow, label: string, width: number): string {
  const reach = arrow.lost ? Math.max(label.length + 6, Math.floor(width * 0.75)) : width;
  const text = label ? ` ${label} ` : '';
  const dashes = Math.max(2, reach - text.length);
  const before = Math.floor(dashes / 2);
  const after = dashes - before;
  let shaft: string;
  if (arrow.from === 0) shaft = '-'.repeat(before) + text + '-'.repeat(after - 1) + (arrow.lost ? 'X' : '>');
  else shaft = (arrow.lost ? 'X' : '<') + '-'.repeat(after - 1) + text + '-'.repeat(before);
  shaft = shaft.slice(0, reach);
  return arrow.from === 0 ? shaft.padEnd(width) : shaft.padStart(width);
}
