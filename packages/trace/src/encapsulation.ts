// The encapsulation view of one frame: application data inside the TCP/UDP/ICMP header
// inside the IPv4 header inside the Ethernet header and FCS, inside the physical preamble
// and SFD (IEEE 802.3 §3.1), drawn as a staircase with one row per layer of the chosen
// model (TCP/IP five-layer, four-layer per RFC 1122, or OSI seven-layer), then every header
// field with its offset, size and value, and the total overhead. Offsets and sizes come
// from the dissector over the real bytes.

import { getModel, OSI_UPPER_LAYERS_NOTE, type FrameEvent, type LayerModel, type ModelId, type ModelLayer, type Role } from '@netlayers/core';
import { dissectFrame, type DissectedFrame, type DissectedHeader } from './dissect.ts';
import { fit, previewBytes } from './format.ts';

/** IEEE 802.3: seven bytes of preamble and the start frame delimiter before every frame. */
export const PREAMBLE_AND_SFD_BYTES = 8;
/** IEEE 802.3 minimum gap between frames, in byte times (not part of any frame). */
export const INTERFRAME_GAP_BYTES = 12;

export interface EncapsulationOptions {
  /** The model whose layers label the rows (default 'tcpip-5'). */
  readonly model?: ModelId | LayerModel;
  /** Show the preamble and SFD (default true). */
  readonly physical?: boolean;
  /** List every header field (default true). */
  readonly fields?: boolean;
  /** The bytes end in the FCS (default true). */
  readonly hasFcs?: boolean;
}

/** One column of the staircase, in frame order. */
interface Column {
  readonly id: 'pre' | 'eth' | 'arp' | 'ip' | 'l4' | 'data' | 'pad' | 'fcs';
  readonly label: string;
}

interface Row {
  readonly layer: ModelLayer;
  /** Columns this row covers, and how they group into cells (a header, a payload span, trailers). */
  readonly cells: readonly { readonly from: number; readonly to: number; readonly label: string }[];
  /** Shown after the layer name ("ICMP" rides in IPv4 but belongs to the network layer). */
  readonly suffix?: string;
}

function roleLayer(model: LayerModel, role: Role): ModelLayer | undefined {
  if (model.id === 'osi-7' && role === 'physical') return model.layers.find((l) => l.number === 1);
  return model.layers.find((l) => l.roles.includes(role));
}

function headerName(h: DissectedHeader): string {
  return h.protocol === 'ethernet' ? 'Ethernet' : h.title;
}

/** The encapsulation picture of one frame in the chosen model, as text. */
export function encapsulation(frame: Uint8Array | FrameEvent, options: EncapsulationOptions = {}): string {
  const bytes = frame instanceof Uint8Array ? frame : frame.bytes;
  const model = typeof options.model === 'object' ? options.model : getModel(options.model ?? 'tcpip-5');
  const d = dissectFrame(bytes, { hasFcs: options.hasFcs ?? true });
  const showPhysical = options.physical ?? true;
  const lines: string[] = [];
  const data = bytes.subarray(d.payload.offset, d.payload.offset + d.payload.length);
  const fcsBytes = d.fcs ? 4 : 0;
  const onWire = bytes.length + (showPhysical ? PREAMBLE_AND_SFD_BYTES : 0);

  lines.push(`Encapsulation of one ${bytes.length}-byte frame — ${model.title}`);
  if (d.problems.length) lines.push(`  ! ${d.problems.join('; ')}`);
  lines.push('');
  lines.push(...staircase(d, model, data, showPhysical));
  lines.push('');

  // Overhead: every byte that is not application data.
  const parts: string[] = [];
  if (showPhysical) parts.push(`preamble+SFD ${PREAMBLE_AND_SFD_BYTES}`);
  for (const h of d.headers) parts.push(`${headerName(h)} ${h.length}`);
  if (d.padding) parts.push(`padding ${d.padding}`);
  if (fcsBytes) parts.push(`FCS ${fcsBytes}`);
  const appBytes = d.payload.role === 'application' ? d.payload.length : 0;
  const overhead = onWire - appBytes;
  lines.push(`Overhead: ${parts.join(' + ')} = ${overhead} bytes`);
  lines.push(`          around ${appBytes} bytes of application data: ${onWire} bytes on the wire, ${Math.round((overhead / onWire) * 100)}% overhead`);
  if (showPhysical) lines.push(`          (and at least a ${INTERFRAME_GAP_BYTES}-byte interframe gap before the next frame)`);
  if (model.id === 'osi-7') {
    lines.push('');
    lines.push(...wrap(`Note: ${OSI_UPPER_LAYERS_NOTE}`, 96));
  }
  if (options.fields ?? true) {
    for (const h of d.headers) {
      const layer = roleLayer(model, h.role);
      lines.push('');
      lines.push(`${h.title} header, ${h.length} bytes at frame offset ${h.offset} — ${layer ? `${layer.name} layer (${layer.number})` : h.role}`);
      lines.push(`  ${fit('offset', 7, 'right')}  ${fit('size', 7, 'right')}  ${fit('field', 22)}  value`);
      for (const f of h.fields) {
        const rel = f.bitOffset - h.offset * 8;
        const offset = rel % 8 === 0 ? String(rel / 8) : `${Math.floor(rel / 8)}.${rel % 8}`;
        const size = f.bitLength % 8 === 0 ? `${f.bitLength / 8} B` : `${f.bitLength} bit`;
        lines.push(`  ${fit(offset, 7, 'right')}  ${fit(size, 7, 'right')}  ${fit(f.name, 22)}  ${f.value}`);
      }
    }
    if (d.fcs) {
      lines.push('');
      lines.push(`Ethernet trailer: FCS (CRC-32) 0x${d.fcs.value.toString(16).padStart(8, '0')} at frame offset ${d.fcs.offset} [${d.fcs.valid ? 'correct' : 'WRONG'}]`);
    }
    if (d.payload.length > 0) {
      lines.push(`Data: ${d.payload.length} bytes at frame offset ${d.payload.offset}: "${previewBytes(data, 60)}"`);
    }
    lines.push('  (offsets are from the start of each header; "14.4" is byte 14, bit 4)');
  }
  return `${lines.join('\n')}\n`;
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

function staircase(d: DissectedFrame, model: LayerModel, data: Uint8Array, showPhysical: boolean): string[] {
  const eth = d.headers.find((h) => h.protocol === 'ethernet');
  const net = d.headers.find((h) => h.protocol === 'ipv4' || h.protocol === 'arp');
  const l4 = d.headers.find((h) => h.protocol === 'tcp' || h.protocol === 'udp' || h.protocol === 'icmp');
  const cols: Column[] = [];
  if (showPhysical) cols.push({ id: 'pre', label: `pre+SFD ${PREAMBLE_AND_SFD_BYTES}` });
  if (eth) cols.push({ id: 'eth', label: `Ethernet ${eth.length}` });
  if (net) cols.push({ id: net.protocol === 'arp' ? 'arp' : 'ip', label: `${net.title} ${net.length}` });
  if (l4) cols.push({ id: 'l4', label: `${l4.title} ${l4.length}` });
  const appRole = d.payload.role === 'application';
  if (d.payload.length > 0) cols.push({ id: 'data', label: `${appRole ? 'data' : 'payload'} ${d.payload.length}` });
  if (d.padding) cols.push({ id: 'pad', label: `pad ${d.padding}` });
  if (d.fcs) cols.push({ id: 'fcs', label: `FCS ${4}` });
  const at = (id: Column['id']): number => cols.findIndex((c) => c.id === id);
  const last = cols.length - 1;
  const innerEnd = d.fcs || d.padding ? cols.findIndex((c) => c.id === 'pad' || c.id === 'fcs') - 1 : last;

  // Rows per role, bottom-up spans: each role owns its header column and carries the rest.
  const roleRows = new Map<Role, Row['cells']>();
  let icmpCells: Row['cells'] | undefined;
  let arpCells: Row['cells'] | undefined;
  if (showPhysical && eth) roleRows.set('physical', [{ from: 0, to: 0, label: cols[0]!.label }, { from: 1, to: last, label: `frame ${d.length} B` }]);
  if (eth) {
    const e = at('eth');
    const cells: { from: number; to: number; label: string }[] = [{ from: e, to: e, label: cols[e]!.label }];
    if (innerEnd > e) cells.push({ from: e + 1, to: innerEnd, label: `payload ${d.length - eth.length - d.padding - (d.fcs ? 4 : 0)}` });
    for (let i = innerEnd + 1; i <= last; i++) cells.push({ from: i, to: i, label: cols[i]!.label });
    roleRows.set('link', cells);
  }
  if (net) {
    const n = at(net.protocol === 'arp' ? 'arp' : 'ip');
    const cells: { from: number; to: number; label: string }[] = [{ from: n, to: n, label: cols[n]!.label }];
    if (innerEnd > n) cells.push({ from: n + 1, to: innerEnd, label: `payload ${d.ipv4 ? d.ipv4.totalLength - d.ipv4.headerLength : 0}` });
    if (net.protocol === 'arp') arpCells = [{ from: n, to: n, label: cols[n]!.label }];
    else roleRows.set('network', cells);
  }
  if (l4) {
    const t = at('l4');
    const cells: { from: number; to: number; label: string }[] = [{ from: t, to: t, label: cols[t]!.label }];
    if (innerEnd > t) cells.push({ from: t + 1, to: innerEnd, label: cols[t + 1]!.label });
    if (l4.protocol === 'icmp') icmpCells = cells;
    else roleRows.set('transport', cells);
  }
  if (appRole && d.payload.length > 0) {
    const a = at('data');
    roleRows.set('application', [{ from: a, to: a, label: `"${previewBytes(data, 14)}"` }]);
  }

  // One row per model layer, top first; a layer that spans several roles takes the widest.
  const rows: Row[] = [];
  for (const layer of model.layers) {
    const roles = layer.roles.filter((r) => roleRows.has(r));
    if (model.id === 'osi-7' && (layer.number === 5 || layer.number === 6)) {
      const app = roleRows.get('application');
      if (app) rows.push({ layer, cells: app.map((c) => ({ ...c, label: '(in the application)' })) });
      continue;
    }
    if (roles.length === 0) continue;
    if (icmpCells && roles.includes('network')) rows.push({ layer, cells: icmpCells, suffix: 'ICMP' });
    if (arpCells && roles.includes('link')) rows.push({ layer, cells: arpCells, suffix: 'ARP' });
    if (roles.length === 1) {
      rows.push({ layer, cells: roleRows.get(roles[0]!)! });
      continue;
    }
    // Network access: the physical framing around the link frame, as one layer.
    const link = roleRows.get('link');
    const phy = roleRows.get('physical');
    if (link && phy) rows.push({ layer, cells: [phy[0]!, ...link] });
    else rows.push({ layer, cells: (link ?? phy)! });
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
  return `${layer.number} ${layer.name}${suffix ? `: ${suffix}` : ''}`;
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
