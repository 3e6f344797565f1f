// The encapsulation view of one frame: the application data inside each header the
// registered dissectors found (Ethernet, IPv4, TCP, ... or a student's own), inside the
// physical preamble and SFD (IEEE 802.3 §3.1), drawn as a staircase with one row per layer
// of the chosen model (TCP/IP five-layer, four-layer per RFC 1122, the four lower layers,
// or OSI seven-layer), then every header field with its offset, size and value, and the
// total overhead. Offsets and sizes are the dissectors' own, over the real bytes.

import { OSI_UPPER_LAYERS_NOTE, layerLabel, resolveModel, type DissectedFrame, type DissectedLayer, type FrameEvent, type LayerModel, type ModelId, type ModelLayer, type Role } from '@netlayers/core';
import { dissect, type DissectorOptions } from './dissectors.ts';
import { fit, previewBytes } from './format.ts';

/** IEEE 802.3: seven bytes of preamble and the start frame delimiter before every frame. */
export const PREAMBLE_AND_SFD_BYTES = 8;
/** IEEE 802.3 minimum gap between frames, in byte times (not part of any frame). */
export const INTERFRAME_GAP_BYTES = 12;

export interface EncapsulationOptions extends DissectorOptions {
  /** The model whose layers label the rows (default 'tcpip-5'). */
  readonly model?: ModelId | LayerModel;
  /** Show the preamble and SFD (default true; only for a frame with an Ethernet-style preamble, i.e. link type 'ethernet'). */
  readonly physical?: boolean;
  /** List every header field (default true). */
  readonly fields?: boolean;
  /** The bytes end in the FCS (default true). */
  readonly hasFcs?: boolean;
}

interface Column {
  readonly label: string;
}

interface Cell {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

interface Row {
  readonly layer: ModelLayer;
  readonly cells: readonly Cell[];
  /** Shown after the layer name ("ICMP" rides in IPv4 but belongs to the network layer). */
  readonly suffix?: string;
}

function layerOf(model: LayerModel, role: Role): ModelLayer | undefined {
  if (model.id === 'osi-7' && role === 'physical') return model.layers.find((l) => l.number === 1);
  return model.layers.find((l) => l.roles.includes(role));
}

function headerName(l: DissectedLayer): string {
  return l.title.replace(/ II.*$/, '');
}

/** The application data of a dissected frame: the application layers and whatever no dissector claimed after a transport. */
function applicationSpan(d: DissectedFrame): { offset: number; length: number } | undefined {
  const first = d.layers.find((l) => l.role === 'application');
  if (first !== undefined) return { offset: first.offset, length: d.payload.offset + d.payload.length - first.offset };
  if (d.payload.role === 'application' && d.payload.length > 0) return { offset: d.payload.offset, length: d.payload.length };
  return undefined;
}

/** The encapsulation picture of one frame in the chosen model, as text. */
export function encapsulation(frame: Uint8Array | FrameEvent, options: EncapsulationOptions = {}): string {
  const bytes = frame instanceof Uint8Array ? frame : frame.bytes;
  const linkType = frame instanceof Uint8Array ? (options.hasFcs === false ? 'ethernet-nofcs' : 'ethernet') : (frame.linkType ?? 'ethernet');
  const model = resolveModel(options.model);
  const decoded = frame instanceof Uint8Array ? dissectAs(bytes, linkType, options) : dissect(frame, options.dissectors);
  const showPhysical = (options.physical ?? true) && linkType.startsWith('ethernet');
  const lines: string[] = [];
  const app = applicationSpan(decoded);
  const onWire = bytes.length + (showPhysical ? PREAMBLE_AND_SFD_BYTES : 0);

  lines.push(`Encapsulation of one ${bytes.length}-byte frame — ${model.title}`);
  if (decoded.problems.length) lines.push(`  ! ${decoded.problems.join('; ')}`);
  lines.push('');
  lines.push(...staircase(decoded, bytes, model, app, showPhysical));
  lines.push('');

  const carriers = decoded.layers.filter((l) => l.role !== 'application');
  const parts: string[] = [];
  if (showPhysical) parts.push(`preamble+SFD ${PREAMBLE_AND_SFD_BYTES}`);
  for (const l of carriers) parts.push(`${headerName(l)} ${l.headerLength}`);
  const padding = carriers.reduce((sum, l) => sum + l.padding, 0);
  if (padding) parts.push(`padding ${padding}`);
  for (const l of [...carriers].reverse()) if (l.trailerLength) parts.push(`${trailerName(l)} ${l.trailerLength}`);
  const appBytes = app?.length ?? 0;
  const overhead = onWire - appBytes;
  lines.push(`Overhead: ${parts.join(' + ')} = ${overhead} bytes`);
  lines.push(`          around ${appBytes} bytes of application data: ${onWire} bytes on the wire, ${Math.round((overhead / onWire) * 100)}% overhead`);
  if (showPhysical) lines.push(`          (and at least a ${INTERFRAME_GAP_BYTES}-byte interframe gap before the next frame)`);
  lines.push('');
  lines.push(...wrap(model.id === 'osi-7' ? `Note: ${OSI_UPPER_LAYERS_NOTE}` : `${model.title}: ${model.note}`, 96));
  if (options.fields ?? true) {
    for (const l of decoded.layers) {
      const layer = layerOf(model, l.role);
      lines.push('');
      lines.push(`${l.title} header, ${l.headerLength} bytes at frame offset ${l.offset} — ${layer ? `${layerLabel(layer)} layer` : l.role}`);
      lines.push(`  ${fit('offset', 7, 'right')}  ${fit('size', 7, 'right')}  ${fit('field', 22)}  value`);
      for (const f of l.fields) {
        const rel = f.bitOffset - l.offset * 8;
        const offset = rel % 8 === 0 ? String(rel / 8) : `${Math.floor(rel / 8)}.${rel % 8}`;
        const size = f.bitLength % 8 === 0 ? `${f.bitLength / 8} B` : `${f.bitLength} bit`;
        lines.push(`  ${fit(offset, 7, 'right')}  ${fit(size, 7, 'right')}  ${fit(f.name, 22)}  ${f.value}`);
      }
    }
    if (app !== undefined && app.length > 0) {
      lines.push(`Data: ${app.length} bytes at frame offset ${app.offset}: "${previewBytes(bytes.subarray(app.offset, app.offset + app.length), 60)}"`);
    }
    lines.push('  (offsets are from the start of each header; "14.4" is byte 14, bit 4)');
  }
  return `${lines.join('\n')}\n`;
}

function dissectAs(bytes: Uint8Array, linkType: string, options: EncapsulationOptions): DissectedFrame {
  return dissect({ kind: 'frame', time: 0, node: '', role: 'physical', protocol: 'phy', action: 'tx', bytes, linkType }, options.dissectors);
}

function trailerName(l: DissectedLayer): string {
  return l.fields.find((f) => f.bitOffset >= (l.offset + l.headerLength + l.payloadLength) * 8)?.name ?? `${headerName(l)} trailer`;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > width && line) {
      out.push(line);
      line = `      ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

function staircase(d: DissectedFrame, bytes: Uint8Array, model: LayerModel, app: { offset: number; length: number } | undefined, showPhysical: boolean): string[] {
  const carriers = d.layers.filter((l) => l.role !== 'application');
  // Columns in frame order: preamble, each header, the data, then inner-to-outer trailers and padding.
  const cols: Column[] = [];
  if (showPhysical) cols.push({ label: `pre+SFD ${PREAMBLE_AND_SFD_BYTES}` });
  const headerCol = carriers.map((l) => cols.push({ label: `${headerName(l)} ${l.headerLength}` }) - 1);
  const innermost = carriers[carriers.length - 1];
  const dataLength = innermost === undefined ? bytes.length : innermost.payloadLength;
  const dataCol = dataLength > 0 ? cols.push({ label: `${app !== undefined ? 'data' : 'payload'} ${dataLength}` }) - 1 : -1;
  const trailerCol = new Map<DissectedLayer, number>();
  const padCol = new Map<DissectedLayer, number>();
  for (const l of [...carriers].reverse()) {
    if (l.trailerLength) trailerCol.set(l, cols.push({ label: `${trailerName(l)} ${l.trailerLength}` }) - 1);
    if (l.padding) padCol.set(l, cols.push({ label: `pad ${l.padding}` }) - 1);
  }
  const last = cols.length - 1;

  const layerRows: { layer: DissectedLayer; cells: Cell[] }[] = carriers.map((l, i) => {
    const h = headerCol[i]!;
    const cells: Cell[] = [{ from: h, to: h, label: cols[h]!.label }];
    // This layer's payload ends where its own trailer (or an outer layer's trailer or padding) begins.
    const outerColumns = carriers.slice(0, i + 1).flatMap((o) => [trailerCol.get(o), padCol.get(o)]).filter((c): c is number => c !== undefined);
    const spanEnd = outerColumns.length ? Math.min(...outerColumns) - 1 : last;
    const inner = i === carriers.length - 1 ? (dataCol >= 0 ? dataCol : -1) : headerCol[i + 1]!;
    if (inner >= 0 && spanEnd >= inner) {
      const label = i === carriers.length - 1 ? cols[dataCol]!.label : `${l.payloadRole === 'application' ? 'data' : 'payload'} ${l.payloadLength}`;
      cells.push({ from: inner, to: spanEnd, label });
    }
    const t = trailerCol.get(l);
    if (t !== undefined) cells.push({ from: t, to: t, label: cols[t]!.label });
    return { layer: l, cells };
  });

  const rows: Row[] = [];
  const outerLink = carriers.find((l) => l.role === 'link' || l.role === 'network-access');
  const physicalCells: Cell[] | undefined = showPhysical ? [{ from: 0, to: 0, label: cols[0]!.label }, { from: 1, to: last, label: `frame ${d.length} B` }] : undefined;
  for (const layer of model.layers) {
    if (layer.roles.length === 0) {
      if (app !== undefined && dataCol >= 0) rows.push({ layer, cells: [{ from: dataCol, to: dataCol, label: '(in the application)' }] });
      continue;
    }
    if (layer.roles.includes('application')) {
      if (app !== undefined && dataCol >= 0) rows.push({ layer, cells: [{ from: dataCol, to: dataCol, label: `"${previewBytes(bytes.subarray(app.offset, app.offset + app.length), 14)}"` }] });
      continue;
    }
    const mine = layerRows.filter((r) => layerOf(model, r.layer.role) === layer).reverse();
    mine.forEach((r, i) => {
      const merged = physicalCells !== undefined && layer.roles.includes('physical') && r.layer === outerLink ? [physicalCells[0]!, ...r.cells] : r.cells;
      rows.push({ layer, cells: merged, ...(i < mine.length - 1 ? { suffix: r.layer.title } : {}) });
    });
    const physicalHere = layerOf(model, 'physical') === layer;
    if (physicalCells !== undefined && physicalHere && !(outerLink !== undefined && mine.some((r) => r.layer === outerLink) && layer.roles.includes('physical'))) {
      rows.push({ layer, cells: physicalCells });
    }
  }

  // Column widths: fit every single-column cell, then widen the last column of a span to fit.
  const widths = cols.map((c) => c.label.length + 2);
  for (const row of rows) {
    for (const cell of row.cells) {
      const span = cell.to - cell.from;
      const have = widths.slice(cell.from, cell.to + 1).reduce((a, b) => a + b, 0) + span;
      if (cell.label.length + 2 > have) widths[cell.to]! += cell.label.length + 2 - have;
    }
  }
  const labelWidth = Math.max(...rows.map((r) => rowLabel(r.layer, r.suffix).length)) + 2;
  const colStart: number[] = [];
  let x = labelWidth;
  for (const w of widths) {
    colStart.push(x);
    x += w + 1;
  }
  const border = (cells: readonly { from: number; to: number }[]): string => {
    const chars = new Array<string>(x + 1).fill(' ');
    for (const c of cells) {
      const start = colStart[c.from]! - 1;
      const end = colStart[c.to]! + widths[c.to]!;
      for (let i = start; i <= end; i++) chars[i] = i === start || i === end ? '+' : chars[i] === '+' ? '+' : '-';
    }
    return chars.join('');
  };
  const out: string[] = [];
  let previous: readonly { from: number; to: number }[] = [];
  for (const row of rows) {
    out.push(mergeBorders(border(previous), border(row.cells)).replace(/\s+$/, ''));
    const chars = new Array<string>(x + 1).fill(' ');
    const label = rowLabel(row.layer, row.suffix);
    for (let i = 0; i < label.length; i++) chars[i] = label[i]!;
    for (const c of row.cells) {
      const start = colStart[c.from]! - 1;
      const end = colStart[c.to]! + widths[c.to]!;
      chars[start] = '|';
      chars[end] = '|';
      const text = fit(c.label, end - start - 1, 'center');
      for (let i = 0; i < text.length; i++) chars[start + 1 + i] = text[i]!;
    }
    out.push(chars.join('').replace(/\s+$/, ''));
    previous = row.cells;
  }
  out.push(border(previous).replace(/\s+$/, ''));
  return out;
}

function rowLabel(layer: ModelLayer, suffix?: string): string {
  return `${layerLabel(layer)}${suffix ? `: ${suffix}` : ''}`;
}

function mergeBorders(a: string, b: string): string {
  const length = Math.max(a.length, b.length);
  let out = '';
  for (let i = 0; i < length; i++) {
    const p = a[i] ?? ' ';
    const q = b[i] ?? ' ';
    out += p === '+' || q === '+' ? '+' : p === '-' || q === '-' ? '-' : ' ';
  }
  return out;
}
