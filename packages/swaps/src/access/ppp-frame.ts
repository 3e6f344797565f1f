// PPP in HDLC-like framing (RFC 1662): the wire format of the four-layer network-access
// module. A frame is Flag (0x7E), Address (0xFF, all-stations), Control (0x03, UI),
// Protocol (2 octets, RFC 1661 §2, no field compression), Information, FCS-16 (RFC 1662
// §C.2, least significant octet first) and a closing Flag. Between the flags, octets equal
// to Flag or Control-Escape (0x7D) and control characters flagged in the ACCM are sent as
// 0x7D followed by the octet XOR 0x20 (§4.2, octet-stuffed framing). `emitPppFrame` writes
// valid stuffed bytes; `parsePppFrame` validates everything and never throws.

import { DropReason, wireError, type WireError } from '@netlayers/core';

export const PPP_FLAG = 0x7e;
export const PPP_ESCAPE = 0x7d;
export const PPP_ALL_STATIONS = 0xff;
export const PPP_UI = 0x03;
/** The default Async-Control-Character-Map: escape every octet below 0x20 (RFC 1662 §7.1). */
export const DEFAULT_ACCM = 0xffffffff;
/** Address + Control + Protocol. */
export const PPP_HEADER_LENGTH = 4;
export const PPP_FCS_LENGTH = 2;
/** The FCS-16 of a frame that includes its own correct FCS (RFC 1662 §C.2 "good final FCS"). */
export const PPP_GOOD_FCS16 = 0xf0b8;

const FCS16_TABLE: Uint16Array = (() => {
  const table = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    let v = b;
    for (let i = 0; i < 8; i++) v = v & 1 ? (v >>> 1) ^ 0x8408 : v >>> 1;
    table[b] = v;
  }
  return table;
})();

/** Running FCS-16 over `bytes[start..end)` from `fcs` (initial value 0xFFFF), uncomplemented. */
export function fcs16Update(fcs: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  let f = fcs;
  for (let i = start; i < end; i++) f = (f >>> 8) ^ FCS16_TABLE[(f ^ bytes[i]!) & 0xff]!;
  return f;
}

/** The FCS-16 to transmit for `bytes`: the complement of the running value. */
export function fcs16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return ~fcs16Update(0xffff, bytes, start, end) & 0xffff;
}

/** A parsed PPP frame (after unstuffing): the protocol number and the information field. */
export interface PppFrame {
  readonly protocol: number;
  readonly information: Uint8Array;
  /** Address through FCS, unstuffed: what a capture records. */
  readonly frame: Uint8Array;
}

/** PPP protocol numbers must be odd in the low octet and even in the high one (RFC 1661 §2). */
export function isValidPppProtocol(protocol: number): boolean {
  return Number.isInteger(protocol) && protocol >= 0 && protocol <= 0xffff && (protocol & 0x0101) === 0x0001;
}

/** The unstuffed frame, Address through FCS. */
export function buildPppFrame(protocol: number, information: Uint8Array): Uint8Array {
  const frame = new Uint8Array(PPP_HEADER_LENGTH + information.length + PPP_FCS_LENGTH);
  frame[0] = PPP_ALL_STATIONS;
  frame[1] = PPP_UI;
  frame[2] = protocol >>> 8;
  frame[3] = protocol & 0xff;
  frame.set(information, PPP_HEADER_LENGTH);
  const fcs = fcs16(frame, 0, frame.length - PPP_FCS_LENGTH);
  frame[frame.length - 2] = fcs & 0xff;
  frame[frame.length - 1] = fcs >>> 8;
  return frame;
}

function mustEscape(octet: number, accm: number): boolean {
  return octet === PPP_FLAG || octet === PPP_ESCAPE || (octet < 0x20 && ((accm >>> octet) & 1) === 1);
}

/** Octet-stuff an unstuffed frame and put a Flag on each side: the bytes on the wire. */
export function stuffPppFrame(frame: Uint8Array, accm = DEFAULT_ACCM): Uint8Array {
  let escapes = 0;
  for (const octet of frame) if (mustEscape(octet, accm)) escapes++;
  const out = new Uint8Array(frame.length + escapes + 2);
  let o = 0;
  out[o++] = PPP_FLAG;
  for (const octet of frame) {
    if (mustEscape(octet, accm)) {
      out[o++] = PPP_ESCAPE;
      out[o++] = octet ^ 0x20;
    } else {
      out[o++] = octet;
    }
  }
  out[o] = PPP_FLAG;
  return out;
}

/** Build and stuff a frame: what the sender puts on the wire. */
export function emitPppFrame(protocol: number, information: Uint8Array, accm = DEFAULT_ACCM): Uint8Array {
  return stuffPppFrame(buildPppFrame(protocol, information), accm);
}

/** Split a received octet stream at Flags into the (still stuffed) frame bodies between them. */
export function splitAtFlags(bytes: Uint8Array): Uint8Array[] {
  const bodies: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === PPP_FLAG) {
      if (i > start) bodies.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return bodies;
}

/**
 * Parse one stuffed frame body (the octets between two Flags; Flags at either end are
 * ignored). Checks the escapes, the length, the FCS, Address, Control and the protocol
 * number; `maxInformation` is the MRU. Never throws.
 */
export function parsePppFrame(body: Uint8Array, maxInformation = 1500): PppFrame | WireError {
  let start = 0;
  let end = body.length;
  while (start < end && body[start] === PPP_FLAG) start++;
  while (end > start && body[end - 1] === PPP_FLAG) end--;
  const frame = new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const octet = body[i]!;
    if (octet === PPP_FLAG) return wireError(DropReason.Malformed, 'a Flag inside a frame body');
    if (octet === PPP_ESCAPE) {
      // RFC 1662 §4.2: a Control-Escape followed by a Flag aborts the frame.
      if (i + 1 >= end) return wireError(DropReason.Malformed, 'frame ends in a Control-Escape (aborted frame)');
      frame[n++] = body[++i]! ^ 0x20;
    } else {
      frame[n++] = octet;
    }
  }
  // RFC 1662 §4.3: frames shorter than 4 octets (without stuffing) are discarded.
  if (n < PPP_HEADER_LENGTH + PPP_FCS_LENGTH) return wireError(DropReason.Truncated, `${n} octets between the flags, at least ${PPP_HEADER_LENGTH + PPP_FCS_LENGTH} needed`);
  const unstuffed = frame.subarray(0, n);
  if (fcs16Update(0xffff, unstuffed) !== PPP_GOOD_FCS16) return wireError(DropReason.BadFcs, 'FCS-16 mismatch');
  if (unstuffed[0] !== PPP_ALL_STATIONS) return wireError(DropReason.Malformed, `address 0x${unstuffed[0]!.toString(16)}, expected 0xff (all-stations)`);
  if (unstuffed[1] !== PPP_UI) return wireError(DropReason.Malformed, `control 0x${unstuffed[1]!.toString(16)}, expected 0x03 (UI)`);
  const protocol = (unstuffed[2]! << 8) | unstuffed[3]!;
  if (!isValidPppProtocol(protocol)) return wireError(DropReason.Malformed, `protocol 0x${protocol.toString(16).padStart(4, '0')} is not a valid PPP protocol number`);
  const information = unstuffed.subarray(PPP_HEADER_LENGTH, n - PPP_FCS_LENGTH);
  if (information.length > maxInformation) return wireError(DropReason.TooBig, `${information.length}-octet information field exceeds the MRU of ${maxInformation}`);
  return { protocol, information, frame: unstuffed };
}
