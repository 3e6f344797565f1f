// `netlayers decode <capture> --frame N --model M`: one captured frame as the encapsulation
// picture draws it in the chosen model (headers as a staircase, the overhead, what the model
// means), then every header field the dissectors found with its offset in the header, its
// size, its value and its bytes in hex, then the whole frame as a hex dump. Offsets and
// values are the dissectors' own over the captured bytes (IEEE 802.3 §3.1 for the preamble
// and SFD the picture adds; the FCS only when the capture kept it).

import { encapsulation, captureEvents, dissect, interfaceLabel, type CaptureFile } from '@netlayers/trace';
import type { DissectedField } from '@netlayers/core';
import type { CliModel } from './args.ts';
import { formatClock } from './decode-time.ts';

const HEX_MAX_BYTES = 16;

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** The field's bits as hex: its bytes when it is whole bytes, else the number its bits make. */
export function fieldHex(frame: Uint8Array, field: DissectedField): string {
  const { bitOffset, bitLength } = field;
  if (bitLength <= 0 || bitOffset < 0 || bitOffset + bitLength > frame.length * 8) return '';
  if (bitOffset % 8 === 0 && bitLength % 8 === 0) {
    const bytes = frame.subarray(bitOffset / 8, (bitOffset + bitLength) / 8);
    return bytes.length > HEX_MAX_BYTES ? `${hex(bytes.subarray(0, HEX_MAX_BYTES))} …` : hex(bytes);
  }
  if (bitLength > 48) return '';
  let value = 0;
  for (let bit = bitOffset; bit < bitOffset + bitLength; bit++) value = value * 2 + ((frame[bit >> 3]! >> (7 - (bit & 7))) & 1);
  return `0x${value.toString(16)}`;
}

/** tcpdump -X style: offset, 16 bytes in hex, the printable ones as text. */
export function hexDump(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const row = bytes.subarray(at, at + 16);
    const text = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    out.push(`  ${at.toString(16).padStart(4, '0')}  ${hex(row).padEnd(47)}  ${text}`);
  }
  return out;
}

function linkTypeText(capture: CaptureFile, interfaceId: number): string {
  const iface = capture.interfaces[interfaceId];
  if (iface === undefined) return 'no interface';
  if (iface.linkType !== 1) return `link type ${iface.linkType} (not decoded)`;
  return iface.fcsLength > 0 ? `Ethernet with ${iface.fcsLength}-byte FCS` : 'Ethernet, no FCS';
}

/** The whole --frame view of frame `number` (1-based); the caller checks the range. */
export function frameView(capture: CaptureFile, number: number, model: CliModel, options: { picture?: boolean } = {}): string {
  const packet = capture.packets[number - 1]!;
  const event = captureEvents(capture)[number - 1]!;
  const lines: string[] = [];
  const wire = packet.originalLength > packet.data.length ? `, ${packet.originalLength} on the wire` : '';
  lines.push(`Frame ${number} of ${capture.packets.length}: ${packet.data.length} bytes captured${wire}, on ${interfaceLabel(capture, packet.interfaceId)} at ${formatClock(packet.timestampNs)} UTC, ${linkTypeText(capture, packet.interfaceId)}`);
  lines.push('');
  lines.push(encapsulation(event, { model, fields: false }).trimEnd());
  if (options.picture === true) return `${lines.join('\n')}\n`;
  const d = dissect(event);
  for (const l of d.layers) {
    lines.push('');
    lines.push(`${l.title}: ${l.headerLength}-byte header at frame offset ${l.offset}${l.trailerLength ? `, ${l.trailerLength}-byte trailer` : ''}`);
    lines.push(`  ${'offset'.padStart(6)}  ${'size'.padStart(6)}  ${'field'.padEnd(22)}  ${'value'.padEnd(28)}  hex`);
    for (const f of l.fields) {
      const rel = f.bitOffset - l.offset * 8;
      const offset = rel % 8 === 0 ? String(rel / 8) : `${Math.floor(rel / 8)}.${rel % 8}`;
      const size = f.bitLength % 8 === 0 ? `${f.bitLength / 8} B` : `${f.bitLength} bit`;
      lines.push(`  ${offset.padStart(6)}  ${size.padStart(6)}  ${f.name.padEnd(22)}  ${f.value.padEnd(28)}  ${fieldHex(packet.data, f)}`.trimEnd());
    }
  }
  if (d.payload.length > 0) lines.push('', `Data (${d.payload.role}): ${d.payload.length} bytes at frame offset ${d.payload.offset}`);
  lines.push('', '  (offsets are from the start of each header; "0.4" is byte 0, bit 4)', '', 'Bytes:');
  lines.push(...hexDump(packet.data));
  return `${lines.join('\n')}\n`;
}
