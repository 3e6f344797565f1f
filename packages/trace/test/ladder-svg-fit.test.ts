// The SVG ladder fits its content: rendered by resvg (a real SVG renderer), every box and
// label lies inside the canvas, with ordinary and with very long labels, and nothing is
// drawn outside it; rows run in time order, also for a simultaneous close.

import { execFileSync } from 'node:child_process';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '@netlayers/core';
import { buildLadder, type Ladder } from '../src/ladder/model.ts';
import { renderLadderSvg } from '../src/ladder/svg.ts';
import { ladder } from '../src/ladder/index.ts';
import { TraceRecorder } from '../src/recorder.ts';
import { textbookEvents } from './support/textbook.ts';

/** A monospace font file and its bold face, found by fontconfig (the test skips without one). */
function monospaceFonts(): string[] {
  try {
    return ['monospace', 'monospace:bold'].map((pattern) => execFileSync('fc-match', ['-f', '%{file}', pattern], { encoding: 'utf8' }).trim()).filter((f) => f !== '');
  } catch {
    return [];
  }
}
const fontFiles = monospaceFonts();
const FONTS = { font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'DejaVu Sans Mono', monospaceFamily: 'DejaVu Sans Mono' } };

function canvas(svg: string): { width: number; height: number } {
  const m = /<svg [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg);
  if (m === null) throw new Error('no svg size');
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** The SVG without its white background, so only drawn content has pixels or a bounding box. */
function withoutBackground(svg: string): string {
  return svg.replace('<rect width="100%" height="100%" fill="#ffffff"/>', '');
}

/** Each text and rect element alone in the same root: its rendered bounding box. */
function elementBoxes(svg: string): { element: string; x: number; y: number; right: number; bottom: number }[] {
  const open = /<svg [^>]*>/.exec(svg)![0];
  const defs = /<defs>.*?<\/defs>/.exec(svg)?.[0] ?? '';
  const elements = [...withoutBackground(svg).matchAll(/<text [^>]*>[^<]*<\/text>|<rect [^>]*\/>/g)].map((m) => m[0]);
  return elements.map((element) => {
    const box = new Resvg(`${open}${defs}${element}</svg>`, FONTS).getBBox();
    if (box === undefined) throw new Error(`nothing rendered for ${element}`);
    return { element, x: box.x, y: box.y, right: box.x + box.width, bottom: box.y + box.height };
  });
}

/** Non-transparent pixels inside and outside the canvas, rendering a margin around it. */
function pixelsAround(svg: string, margin = 200): { inside: number; outside: number } {
  const { width, height } = canvas(svg);
  const grown = withoutBackground(svg).replace(
    /<svg ([^>]*)width="[\d.]+" height="[\d.]+" viewBox="[^"]*"/,
    `<svg $1width="${width + 2 * margin}" height="${height + 2 * margin}" viewBox="${-margin} ${-margin} ${width + 2 * margin} ${height + 2 * margin}"`,
  );
  const image = new Resvg(grown, FONTS).render();
  const rgba = image.pixels; // a getter that copies: read it once
  let inside = 0;
  let outside = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (rgba[(y * image.width + x) * 4 + 3] === 0) continue;
      const within = x >= margin && x < margin + width && y >= margin && y < margin + height;
      if (within) inside++;
      else outside++;
    }
  }
  return { inside, outside };
}

function expectInside(svg: string): void {
  const { width, height } = canvas(svg);
  const boxes = elementBoxes(svg);
  expect(boxes.length).toBeGreaterThan(20);
  for (const b of boxes) {
    expect(b.x, b.element).toBeGreaterThanOrEqual(0);
    expect(b.y, b.element).toBeGreaterThanOrEqual(0);
    expect(b.right, b.element).toBeLessThanOrEqual(width);
    expect(b.bottom, b.element).toBeLessThanOrEqual(height);
  }
  const pixels = pixelsAround(svg);
  expect(pixels.inside).toBeGreaterThan(1000);
  expect(pixels.outside).toBe(0);
}

/** The textbook ladder with every label made long. */
function longLabels(model: Ladder): Ladder {
  return {
    ...model,
    title: `${model.title} — a title long enough to be wider than the default canvas of seven hundred and sixty pixels`,
    participants: [{ ...model.participants[0], node: 'a-client-with-a-rather-long-host-name' }, model.participants[1]],
    rows: model.rows.map((row) => {
      if (row.kind === 'arrow') return { ...row, label: `${row.label} ${'options=[mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]'}` };
      if (row.kind === 'state') return { ...row, state: `${row.state} (after a long explanation)` };
      return { ...row, text: `${row.text}: a note that goes on for quite a while` };
    }),
  };
}

describe.skipIf(fontFiles.length === 0)('ladder SVG sized to its content (rendered by resvg)', () => {
  it('the textbook ladder: every box and label inside the canvas, nothing drawn outside', () => {
    const { events } = textbookEvents({ loseRequest: true });
    expectInside(renderLadderSvg(buildLadder(events)));
  });

  it('with the width a caller asked for the text ladder (100): still fits, the canvas grows', () => {
    const { events } = textbookEvents();
    const svg = ladder(events, { format: 'svg', width: 100 });
    expect(canvas(svg).width).toBeGreaterThan(500);
    expectInside(svg);
  });

  it('very long labels, states, notes and title: the canvas grows to hold them', () => {
    const { events } = textbookEvents({ loseRequest: true });
    const model = longLabels(buildLadder(events));
    const svg = renderLadderSvg(model);
    expect(canvas(svg).width).toBeGreaterThan(760);
    expectInside(svg);
  });

  it('the check can fail: content shifted past the edge is found, by box and by pixel', () => {
    const { events } = textbookEvents();
    const svg = renderLadderSvg(buildLadder(events)).replace(/<svg ([^>]*)width="([\d.]+)"([^>]*)viewBox="0 0 ([\d.]+) /, (_, a: string, _w: string, b: string) => `<svg ${a}width="300"${b}viewBox="0 0 300 `);
    expect(pixelsAround(svg).outside).toBeGreaterThan(0);
    expect(elementBoxes(svg).some((box) => box.right > 300)).toBe(true);
  });
});

describe.skipIf(fontFiles.length === 0)('ladder SVG in time order', () => {
  it('a simultaneous close: down the page, every time label is later than the one above', async () => {
    const { Network } = await import('@netlayers/lab');
    const recorders: TraceRecorder[] = [];
    const off = Network.onCreate((net) => recorders.push(new TraceRecorder().record(net.trace)));
    const { main } = await import('../../../examples/four-way-teardown.ts');
    try {
      await main(() => {}, ['--simultaneous']);
    } finally {
      off();
    }
    const events: readonly TraceEvent[] = recorders[0]!.events;
    const connection = recorders[0]!.connections()[0]!;
    const svg = ladder(events, { connection, format: 'svg' });
    const times = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" text-anchor="(?:start|end)" fill="#666">(\d+\.\d{6})<\/text>/g)]
      .map((m) => ({ y: Number(m[1]), t: Number(m[2]) }))
      .sort((a, b) => a.y - b.y);
    expect(times.length).toBeGreaterThan(10);
    for (let i = 1; i < times.length; i++) expect(times[i]!.t, `row at y=${times[i]!.y}`).toBeGreaterThanOrEqual(times[i - 1]!.t);
    expectInside(svg);
  });
});
