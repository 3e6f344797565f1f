// Ethernet II frames (IEEE 802.3 clause 3 frame layout with a DIX EtherType) and 802.1Q
// VLAN tags (IEEE 802.1Q-2018 clause 9.6). Wire format in the manner of smoltcp's `wire`:
// a readonly repr, `parseEthernetFrame` that validates everything and never throws, and
// emit/encapsulate functions that write valid bytes. The frame check sequence is CRC-32
// (IEEE 802.3 clause 3.2.9) stored in the last four bytes least-significant byte first,
// which is how Linux and pcap files show it.

import {
  DropReason,
  EtherType,
  InvalidArgumentError,
  MacAddress,
  Packet,
  crc32,
  etherTypeName,
  wireError,
  type WireError,
  type EthernetHeaderInfo,
} from '@netlayers/core';

/** Destination, source and EtherType. */
export const ETHERNET_HEADER_LENGTH = 14;
/** The 802.1Q tag (TPID + TCI) inserted after the source address. */
export const VLAN_TAG_LENGTH = 4;
export const FCS_LENGTH = 4;
/** Smallest frame on the wire, FCS included (IEEE 802.3 clause 4.4.2: minFrameSize). */
export const MIN_FRAME_LENGTH = 64;
/** Smallest payload of an untagged frame: 64 - 14 - 4. */
export const MIN_PAYLOAD_LENGTH = MIN_FRAME_LENGTH - ETHERNET_HEADER_LENGTH - FCS_LENGTH;
/** Values up to 1500 in the type field are an 802.3 length, not an EtherType. */
export const MAX_802_3_LENGTH = 1500;
/**
 * The CRC-32 of a whole frame *including* a correct little-endian FCS is always this
 * constant (the CRC "residue" after the final XOR). Checking it needs no copy of the data.
 */
export const FCS_RESIDUE = 0x2144df1c;

/** The 802.1Q tag control information. */
export interface VlanTag {
  /** Priority code point, 0..7 (IEEE 802.1p). */
  readonly pcp: number;
  /** Drop eligible indicator. */
  readonly dei: boolean;
  /** VLAN identifier, 0..4095 (0 = priority tag only, 4095 reserved). */
  readonly vid: number;
}

/** What a sender chooses: the fields written in front of the payload. */
export interface EthernetHeader {
  readonly destination: MacAddress;
  readonly source: MacAddress;
  /** The EtherType of the payload (the inner one when tagged). */
  readonly etherType: number;
  readonly vlan?: VlanTag;
}

/** A parsed frame. `payload` is a view into the received bytes (padding included, FCS excluded). */
export interface EthernetFrame extends EthernetHeader {
  /** 14, or 18 with an 802.1Q tag. */
  readonly headerLength: number;
  readonly payload: Uint8Array;
  /** The FCS as stored (read little-endian), or null when parsed with `hasFcs: false`. */
  readonly fcs: number | null;
  /** Whole frame length in bytes, FCS included when present. */
  readonly length: number;
}

export interface ParseEthernetOptions {
  /** Whether the last four bytes are the FCS (default true). Captures usually lack it. */
  readonly hasFcs?: boolean;
  /**
   * Whether a frame below the minimum size is a runt to reject (default: only when it has an
   * FCS). A frame with an FCS came off a wire, where IEEE 802.3 requires 64 bytes; one
   * without came from a capture, and a capture taken on the sending host holds frames
   * before the NIC pads them (42-byte ARP requests, 54-byte pure ACKs). Set it to true to
   * hold FCS-less frames to the 60-byte minimum too.
   */
  readonly requireMinimumSize?: boolean;
}

function readUint32LE(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}

function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/** True when `frame` (FCS included) carries a correct FCS. Allocates nothing. */
export function hasValidFcs(frame: Uint8Array): boolean {
  return frame.length >= FCS_LENGTH && crc32(frame) === FCS_RESIDUE;
}

/** The FCS a frame's bytes before the trailer should carry. */
export function computeFcs(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc32(bytes, start, end);
}

/** The defaults, shared and frozen: a call without options allocates no object for them. */
const DEFAULT_PARSE_ETHERNET: ParseEthernetOptions = Object.freeze({});

/**
 * Parse and validate one frame. Checks, in order: room for the header, room for an
 * 802.1Q tag when the TPID says there is one, the 64-byte minimum when the frame has an
 * FCS (60 without, only with `requireMinimumSize`), room for the FCS, and the FCS.
 * Never throws.
 */
export function parseEthernetFrame(bytes: Uint8Array, options: ParseEthernetOptions = DEFAULT_PARSE_ETHERNET): EthernetFrame | WireError {
  const hasFcs = options.hasFcs ?? true;
  const length = bytes.length;
  if (length < ETHERNET_HEADER_LENGTH) {
    return wireError(DropReason.Truncated, `${length} bytes is shorter than the ${ETHERNET_HEADER_LENGTH}-byte Ethernet header`);
  }
  let typeOffset = 12;
  let vlan: VlanTag | undefined;
  if (((bytes[12]! << 8) | bytes[13]!) === EtherType.VLAN) {
    if (length < ETHERNET_HEADER_LENGTH + VLAN_TAG_LENGTH) {
      return wireError(DropReason.Truncated, `${length} bytes is too short for an 802.1Q-tagged header (18 bytes)`);
    }
    const tci = (bytes[14]! << 8) | bytes[15]!;
    vlan = { pcp: tci >>> 13, dei: (tci & 0x1000) !== 0, vid: tci & 0x0fff };
    typeOffset = 16;
  }
  const headerLength = typeOffset + 2;
  if (options.requireMinimumSize ?? hasFcs) {
    const minimum = hasFcs ? MIN_FRAME_LENGTH : MIN_FRAME_LENGTH - FCS_LENGTH;
    if (length < minimum) {
      return wireError(DropReason.Truncated, `runt frame: ${length} bytes is below the ${minimum}-byte minimum${hasFcs ? '' : ' (without FCS)'}`);
    }
  } else if (hasFcs && length < headerLength + FCS_LENGTH) {
    return wireError(DropReason.Truncated, `${length} bytes leaves no room for the FCS after the ${headerLength}-byte header`);
  }
  let fcs: number | null = null;
  let payloadEnd = length;
  if (hasFcs) {
    payloadEnd = length - FCS_LENGTH;
    fcs = readUint32LE(bytes, payloadEnd);
    if (crc32(bytes) !== FCS_RESIDUE) {
      const computed = computeFcs(bytes, 0, payloadEnd);
      return wireError(DropReason.BadFcs, `FCS ${hex32(fcs)} does not match the computed CRC-32 ${hex32(computed)}`);
    }
  }
  const frame: EthernetFrame = {
    destination: MacAddress.fromBytes(bytes, 0),
    source: MacAddress.fromBytes(bytes, 6),
    etherType: (bytes[typeOffset]! << 8) | bytes[typeOffset + 1]!,
    headerLength,
    payload: bytes.subarray(headerLength, payloadEnd),
    fcs,
    length,
  };
  return vlan === undefined ? frame : { ...frame, vlan };
}

/** Header length for `header`: 14, or 18 with a VLAN tag. */
export function ethernetHeaderLength(header: EthernetHeader): number {
  return header.vlan === undefined ? ETHERNET_HEADER_LENGTH : ETHERNET_HEADER_LENGTH + VLAN_TAG_LENGTH;
}

function checkHeader(header: EthernetHeader): void {
  const t = header.etherType;
  if (!Number.isInteger(t) || t <= MAX_802_3_LENGTH || t > 0xffff) {
    throw new InvalidArgumentError('etherType', t, 'must be an integer from 0x0600 to 0xffff (Ethernet II EtherType)');
  }
  const vlan = header.vlan;
  if (vlan !== undefined) {
    if (!Number.isInteger(vlan.vid) || vlan.vid < 0 || vlan.vid > 4094) {
      throw new InvalidArgumentError('vlan.vid', vlan.vid, 'must be an integer from 0 to 4094');
    }
    if (!Number.isInteger(vlan.pcp) || vlan.pcp < 0 || vlan.pcp > 7) {
      throw new InvalidArgumentError('vlan.pcp', vlan.pcp, 'must be an integer from 0 to 7');
    }
  }
}

/** Write the header at the start of `into` (which must hold ethernetHeaderLength bytes). */
export function emitEthernetHeader(header: EthernetHeader, into: Uint8Array): void {
  checkHeader(header);
  writeEthernetHeader(header, into);
}

/** emitEthernetHeader once the header is known to be valid. */
function writeEthernetHeader(header: EthernetHeader, into: Uint8Array, at = 0): void {
  header.destination.writeTo(into, at);
  header.source.writeTo(into, at + 6);
  let typeOffset = at + 12;
  const vlan = header.vlan;
  if (vlan !== undefined) {
    into[at + 12] = EtherType.VLAN >>> 8;
    into[at + 13] = EtherType.VLAN & 0xff;
    const tci = (vlan.pcp << 13) | (vlan.dei ? 0x1000 : 0) | vlan.vid;
    into[at + 14] = tci >>> 8;
    into[at + 15] = tci & 0xff;
    typeOffset = at + 16;
  }
  into[typeOffset] = header.etherType >>> 8;
  into[typeOffset + 1] = header.etherType & 0xff;
}

/**
 * Turn `packet` (the payload) into a whole frame in place: pad the payload with zeros so
 * the frame reaches 64 bytes (46 payload bytes untagged, 42 tagged), prepend the header
 * into the headroom, and append the FCS. Returns the same packet; `packet.bytes` is the frame.
 */
export function encapsulate(packet: Packet, header: EthernetHeader): Packet {
  checkHeader(header);
  const headerLength = ethernetHeaderLength(header);
  const minPayload = MIN_FRAME_LENGTH - headerLength - FCS_LENGTH;
  if (packet.length < minPayload) packet.append(minPayload - packet.length).fill(0);
  // Header and FCS are written in place in the packet's buffer (no view for either).
  const at = packet.prependAt(headerLength);
  writeEthernetHeader(header, packet.storage, at);
  const fcs = computeFcs(packet.bytes);
  const end = packet.appendAt(FCS_LENGTH);
  const trailer = packet.storage;
  trailer[end] = fcs & 0xff;
  trailer[end + 1] = (fcs >>> 8) & 0xff;
  trailer[end + 2] = (fcs >>> 16) & 0xff;
  trailer[end + 3] = fcs >>> 24;
  return packet;
}

/** A whole frame (padded, with FCS) carrying a copy of `payload`: handy for tests and tools. */
export function buildEthernetFrame(header: EthernetHeader, payload: Uint8Array): Uint8Array {
  return encapsulate(Packet.from(payload, ETHERNET_HEADER_LENGTH + VLAN_TAG_LENGTH, FCS_LENGTH + MIN_PAYLOAD_LENGTH), header).toBytes();
}

/** "ARP (0x0806)", "IPv4 (0x0800)", "0x88cc": how tcpdump -e names a type. */
export function describeEtherType(etherType: number): string {
  const hex = `0x${etherType.toString(16).padStart(4, '0')}`;
  const name = etherTypeName(etherType);
  return name === hex ? hex : `${name} (${hex})`;
}

/**
 * One line as `tcpdump -e` prints it: "02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP
 * (0x0806), length 60". Like tcpdump, the length excludes the FCS.
 */
export function ethernetSummary(frame: EthernetFrame): string {
  const length = frame.fcs === null ? frame.length : frame.length - FCS_LENGTH;
  const addresses = `${frame.source} > ${frame.destination}`;
  const inner = frame.etherType <= MAX_802_3_LENGTH ? `802.3, length ${frame.etherType}` : `ethertype ${describeEtherType(frame.etherType)}`;
  if (frame.vlan === undefined) return `${addresses}, ${inner}, length ${length}`;
  const v = frame.vlan;
  return `${addresses}, ethertype 802.1Q (0x8100), length ${length}: vlan ${v.vid}, p ${v.pcp}${v.dei ? ', DEI' : ''}, ${inner}`;
}

/** The typed trace payload of a parsed frame (length without the FCS). */
export function ethernetHeaderInfo(frame: EthernetFrame): EthernetHeaderInfo {
  const info = {
    protocol: 'ethernet' as const,
    source: frame.source.toString(),
    destination: frame.destination.toString(),
    etherType: frame.etherType,
    length: frame.length - (frame.fcs === null ? 0 : FCS_LENGTH),
  };
  return frame.vlan === undefined ? info : { ...info, vlan: frame.vlan.vid };
}
