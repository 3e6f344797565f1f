// IPv4 wire format (RFC 791 §3.1): the readonly `Ipv4Header` repr, `parseIpv4` that
// validates untrusted bytes and never throws, `emitIpv4Header` that writes a header with a
// correct header checksum (RFC 1071), option parsing with bounds checks (RFC 791 §3.1
// "Options": EOL, NOP, then type-length-value) and a tcpdump-style one-line summary.

import {
  DropReason,
  InvalidArgumentError,
  Ipv4Address,
  internetChecksum,
  ipProtocolName,
  wireError,
  type Ipv4Fields,
  type Ipv4HeaderInfo,
  type WireError,
} from '@netlayers/core';

export const IPV4_VERSION = 4;
export const IPV4_MIN_HEADER_LENGTH = 20;
export const IPV4_MAX_HEADER_LENGTH = 60;
/** Largest datagram the 16-bit total length field can describe. */
export const IPV4_MAX_DATAGRAM_LENGTH = 65535;
/** Every host must accept a datagram of this size (RFC 791 §3.1, RFC 1122 §3.3.3). */
export const IPV4_MIN_REASSEMBLY_SIZE = 576;
export const DEFAULT_TTL = 64;

/** Option-type octets (RFC 791 §3.1; copied flag in bit 7). */
export const Ipv4OptionType = {
  EndOfOptionList: 0,
  NoOperation: 1,
  RecordRoute: 7,
  InternetTimestamp: 68,
  Security: 130,
  LooseSourceRoute: 131,
  StreamIdentifier: 136,
  StrictSourceRoute: 137,
} as const;

/**
 * One IPv4 option. End-of-option-list is not listed: it ends parsing and the emitter pads
 * with it. No-operation appears as `{ type: 1, data: empty }`.
 */
export interface Ipv4Option {
  /** The option-type octet: copied flag (bit 7), class (bits 5-6), number (bits 0-4). */
  readonly type: number;
  /** The octets after type and length (empty for no-operation). A view into the parsed bytes. */
  readonly data: Uint8Array;
}

export interface Ipv4Header {
  readonly version: number;
  /** Header length in bytes (IHL * 4), options and padding included. */
  readonly headerLength: number;
  /** Type of service (DSCP + ECN). */
  readonly tos: number;
  /** Header plus data, in bytes. */
  readonly totalLength: number;
  readonly identification: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  /** Offset of this fragment's data in the original datagram, in bytes (a multiple of 8). */
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  /** The header checksum as parsed (the emitter computes its own). */
  readonly checksum: number;
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  readonly options: readonly Ipv4Option[];
}

export interface ParsedIpv4 {
  readonly header: Ipv4Header;
  /** The data after the header, trimmed to the total length (link padding removed). A view. */
  readonly payload: Uint8Array;
  /**
   * Present (true) when the total length field read 0 and, parsed with `allowTsoZeroLength`,
   * the datagram was taken to run to the end of the bytes (`header.totalLength` is then
   * that length, and the header checksum was not verified).
   */
  readonly tsoZeroLength?: true;
}

export interface ParseIpv4Options {
  /**
   * Read a total length of 0 as "to the end of the captured bytes" instead of rejecting it.
   * A capture taken on the sending host sees segments before the NIC's segmentation offload
   * (TSO/LSO) splits them, and the driver leaves total length (and the header checksum) for
   * the NIC to fill in; Wireshark shows such a datagram as "reported as 0, presumed to be
   * because of TCP segmentation offload" and does not verify its checksum. For capture
   * readers only: a NIC never delivers such a datagram, so the live stack keeps rejecting it.
   */
  readonly allowTsoZeroLength?: boolean;
  /** Check the header checksum (default true); a dissector reads a damaged header too. */
  readonly verifyChecksum?: boolean;
}

const NO_OPTIONS: readonly Ipv4Option[] = Object.freeze([]);
const EMPTY = new Uint8Array(0);

/** Whether fragmentation copies this option into every fragment (RFC 791 §3.1, copied flag). */
export function isCopiedOption(type: number): boolean {
  return (type & 0x80) !== 0;
}

export function ipv4OptionName(type: number): string {
  switch (type) {
    case Ipv4OptionType.EndOfOptionList: return 'EOL';
    case Ipv4OptionType.NoOperation: return 'NOP';
    case Ipv4OptionType.RecordRoute: return 'RR';
    case Ipv4OptionType.InternetTimestamp: return 'TS';
    case Ipv4OptionType.Security: return 'SEC';
    case Ipv4OptionType.LooseSourceRoute: return 'LSRR';
    case Ipv4OptionType.StreamIdentifier: return 'SID';
    case Ipv4OptionType.StrictSourceRoute: return 'SSRR';
    default: return `opt-${type}`;
  }
}

/** The defaults, shared and frozen: a call without options allocates no object for them. */
const DEFAULT_PARSE_IPV4: ParseIpv4Options = Object.freeze({});

/**
 * Parse and validate an IPv4 datagram. Never throws. Checks, in order: length for the fixed
 * header, version 4, IHL >= 5 and within the bytes, total length between the header length
 * and the bytes available (0 is rejected unless `allowTsoZeroLength`), the header checksum,
 * the options' bounds, and that the fragment ends at or before byte 65535 of the original
 * datagram.
 */
export function parseIpv4(bytes: Uint8Array, how: ParseIpv4Options = DEFAULT_PARSE_IPV4): ParsedIpv4 | WireError {
  const available = bytes.length;
  if (available < IPV4_MIN_HEADER_LENGTH) {
    return wireError(DropReason.Truncated, `IPv4 header needs 20 bytes, got ${available}`);
  }
  const version = bytes[0]! >>> 4;
  if (version !== IPV4_VERSION) return wireError(DropReason.BadVersion, `IP version ${version}, expected 4`);
  const headerLength = (bytes[0]! & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER_LENGTH) {
    return wireError(DropReason.BadHeaderLength, `IHL ${headerLength / 4} (${headerLength} bytes) is below the minimum of 5`);
  }
  if (headerLength > available) {
    return wireError(DropReason.Truncated, `header length ${headerLength} exceeds the ${available} bytes received`);
  }
  let totalLength = (bytes[2]! << 8) | bytes[3]!;
  const tsoZeroLength = totalLength === 0 && how.allowTsoZeroLength === true;
  if (tsoZeroLength) {
    totalLength = available; // an offloaded segment may even exceed 65535 bytes (BIG TCP)
  } else if (totalLength === 0) {
    return wireError(
      DropReason.BadLength,
      'total length 0 (left for segmentation offload in a sender-side capture; a capture reader can parse it with { allowTsoZeroLength: true })',
    );
  }
  if (totalLength < headerLength) {
    return wireError(DropReason.BadLength, `total length ${totalLength} is below the header length ${headerLength}`);
  }
  if (totalLength > available) {
    return wireError(DropReason.Truncated, `total length ${totalLength} exceeds the ${available} bytes received`);
  }
  if (how.verifyChecksum !== false && !tsoZeroLength && internetChecksum(bytes, 0, headerLength) !== 0) {
    const got = (bytes[10]! << 8) | bytes[11]!;
    return wireError(DropReason.BadChecksum, `header checksum 0x${got.toString(16).padStart(4, '0')} is wrong`);
  }
  let options = NO_OPTIONS;
  if (headerLength > IPV4_MIN_HEADER_LENGTH) {
    const parsed = parseOptions(bytes, headerLength);
    if (!Array.isArray(parsed)) return parsed;
    options = parsed;
  }
  const flagsAndOffset = (bytes[6]! << 8) | bytes[7]!;
  const fragmentOffset = (flagsAndOffset & 0x1fff) * 8;
  const dataLength = totalLength - headerLength;
  if (!tsoZeroLength && fragmentOffset + dataLength > IPV4_MAX_DATAGRAM_LENGTH) {
    return wireError(
      DropReason.FragmentInvalid,
      `fragment at offset ${fragmentOffset} with ${dataLength} data bytes ends past byte 65535`,
    );
  }
  const header: Ipv4Header = {
    version,
    headerLength,
    tos: bytes[1]!,
    totalLength,
    identification: (bytes[4]! << 8) | bytes[5]!,
    dontFragment: (flagsAndOffset & 0x4000) !== 0,
    moreFragments: (flagsAndOffset & 0x2000) !== 0,
    fragmentOffset,
    ttl: bytes[8]!,
    protocol: bytes[9]!,
    checksum: (bytes[10]! << 8) | bytes[11]!,
    source: Ipv4Address.fromBytes(bytes, 12),
    destination: Ipv4Address.fromBytes(bytes, 16),
    options,
  };
  const payload = bytes.subarray(headerLength, totalLength);
  return tsoZeroLength ? { header, payload, tsoZeroLength } : { header, payload };
}

function parseOptions(bytes: Uint8Array, headerLength: number): Ipv4Option[] | WireError {
  const options: Ipv4Option[] = [];
  let i = IPV4_MIN_HEADER_LENGTH;
  while (i < headerLength) {
    const type = bytes[i]!;
    if (type === Ipv4OptionType.EndOfOptionList) break;
    if (type === Ipv4OptionType.NoOperation) {
      options.push({ type, data: EMPTY });
      i++;
      continue;
    }
    const name = ipv4OptionName(type);
    if (i + 1 >= headerLength) return wireError(DropReason.BadOption, `option ${name} at byte ${i} has no length octet`);
    const length = bytes[i + 1]!;
    if (length < 2) return wireError(DropReason.BadOption, `option ${name} at byte ${i} has length ${length} (minimum 2)`);
    if (i + length > headerLength) {
      return wireError(DropReason.BadOption, `option ${name} at byte ${i} with length ${length} runs past the ${headerLength}-byte header`);
    }
    const problem = checkOptionShape(type, length, bytes[i + 2]);
    if (problem !== null) return wireError(DropReason.BadOption, `option ${name} at byte ${i}: ${problem}`);
    options.push({ type, data: bytes.subarray(i + 2, i + length) });
    i += length;
  }
  return options;
}

/** The fixed shapes RFC 791 gives some options (pointer fields start at 4 / 5, security is 11 octets). */
function checkOptionShape(type: number, length: number, pointer: number | undefined): string | null {
  switch (type) {
    case Ipv4OptionType.RecordRoute:
    case Ipv4OptionType.LooseSourceRoute:
    case Ipv4OptionType.StrictSourceRoute:
      if (length < 3) return `length ${length} leaves no room for the pointer`;
      if (pointer! < 4) return `pointer ${pointer} is below the minimum of 4`;
      return null;
    case Ipv4OptionType.InternetTimestamp:
      if (length < 4) return `length ${length} leaves no room for pointer and flags`;
      if (pointer! < 5) return `pointer ${pointer} is below the minimum of 5`;
      return null;
    case Ipv4OptionType.Security:
      return length === 11 ? null : `length ${length}, the security option is 11 octets`;
    case Ipv4OptionType.StreamIdentifier:
      return length === 4 ? null : `length ${length}, the stream identifier option is 4 octets`;
    default:
      return null;
  }
}

/** Bytes the options take on the wire, padded with end-of-option-list to a 32-bit boundary. */
export function ipv4OptionsLength(options: readonly Ipv4Option[]): number {
  if (options.length === 0) return 0; // every datagram of a bulk transfer: no loop set up per packet
  let n = 0;
  for (let i = 0; i < options.length; i++) {
    const option = options[i]!;
    n += option.type === Ipv4OptionType.NoOperation ? 1 : option.data.length + 2;
  }
  return (n + 3) & ~3;
}

/** The header length a header with these options has. */
export function ipv4HeaderLengthFor(options: readonly Ipv4Option[]): number {
  return IPV4_MIN_HEADER_LENGTH + ipv4OptionsLength(options);
}

export interface Ipv4HeaderInit {
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  readonly protocol: number;
  /** Bytes of data after the header. */
  readonly payloadLength: number;
  readonly ttl?: number;
  readonly tos?: number;
  readonly identification?: number;
  readonly dontFragment?: boolean;
  readonly moreFragments?: boolean;
  readonly fragmentOffset?: number;
  readonly options?: readonly Ipv4Option[];
}

/** A header repr with defaults filled in and lengths computed (checksum left 0: emit computes it). */
export function makeIpv4Header(init: Ipv4HeaderInit): Ipv4Header {
  const options = init.options ?? NO_OPTIONS;
  const headerLength = ipv4HeaderLengthFor(options);
  return {
    version: IPV4_VERSION,
    headerLength,
    tos: init.tos ?? 0,
    totalLength: headerLength + init.payloadLength,
    identification: init.identification ?? 0,
    dontFragment: init.dontFragment ?? false,
    moreFragments: init.moreFragments ?? false,
    fragmentOffset: init.fragmentOffset ?? 0,
    ttl: init.ttl ?? DEFAULT_TTL,
    protocol: init.protocol,
    checksum: 0,
    source: init.source,
    destination: init.destination,
    options,
  };
}

/**
 * Write `header` into `into` at `at` (default: its start) with a correct checksum; returns
 * the bytes written. The header length written is `header.headerLength` when that is a valid
 * length (a multiple of 4, at most 60) at least as long as the options need
 * (`ipv4HeaderLengthFor`), the rest padded with End of Option List; otherwise the length the
 * options need. For a repr from `makeIpv4Header` the two are the same; a repr from `parseIpv4`
 * keeps the padding it arrived with. With `at`, a sender writes in place into a packet's `storage`.
 */
export function emitIpv4Header(header: Ipv4Header, into: Uint8Array, at = 0): number {
  const needed = ipv4HeaderLengthFor(header.options);
  // A received header may carry more padding after its End of Option List than the 32-bit
  // boundary needs (IHL 9 for 8 bytes of options): keep its length, or a router re-emitting
  // it would shift the payload under a shorter IHL.
  const kept = header.headerLength;
  const headerLength = kept > needed && kept <= IPV4_MAX_HEADER_LENGTH && (kept & 3) === 0 ? kept : needed;
  if (headerLength > IPV4_MAX_HEADER_LENGTH) {
    throw new InvalidArgumentError('options', `${headerLength - IPV4_MIN_HEADER_LENGTH} bytes`, 'IPv4 options fit in at most 40 bytes');
  }
  if (!Number.isInteger(at) || at < 0 || into.length - at < headerLength) {
    throw new InvalidArgumentError('into', `${into.length} bytes from offset ${at}`, `an IPv4 header with these options needs ${headerLength} bytes`);
  }
  into[at] = (IPV4_VERSION << 4) | (headerLength >>> 2);
  into[at + 1] = header.tos & 0xff;
  into[at + 2] = (header.totalLength >>> 8) & 0xff;
  into[at + 3] = header.totalLength & 0xff;
  into[at + 4] = (header.identification >>> 8) & 0xff;
  into[at + 5] = header.identification & 0xff;
  const flagsAndOffset =
    (header.dontFragment ? 0x4000 : 0) | (header.moreFragments ? 0x2000 : 0) | ((header.fragmentOffset >>> 3) & 0x1fff);
  into[at + 6] = flagsAndOffset >>> 8;
  into[at + 7] = flagsAndOffset & 0xff;
  into[at + 8] = header.ttl & 0xff;
  into[at + 9] = header.protocol & 0xff;
  into[at + 10] = 0;
  into[at + 11] = 0;
  header.source.writeTo(into, at + 12);
  header.destination.writeTo(into, at + 16);
  let i = at + IPV4_MIN_HEADER_LENGTH;
  for (const option of header.options) {
    into[i++] = option.type;
    if (option.type === Ipv4OptionType.NoOperation) continue;
    into[i++] = option.data.length + 2;
    into.set(option.data, i);
    i += option.data.length;
  }
  while (i < at + headerLength) into[i++] = Ipv4OptionType.EndOfOptionList;
  const checksum = internetChecksum(into, at, at + headerLength);
  into[at + 10] = checksum >>> 8;
  into[at + 11] = checksum & 0xff;
  return headerLength;
}

/** tcpdump -v style: "10.0.0.1 > 10.0.0.2: UDP (17), ttl 64, id 7, flags [DF], length 1500". */
export function ipv4Summary(header: Ipv4Header): string {
  let text = `${header.source} > ${header.destination}: ${ipProtocolName(header.protocol)} (${header.protocol}), ttl ${header.ttl}, id ${header.identification}`;
  if (header.dontFragment) text += ', flags [DF]';
  if (header.moreFragments || header.fragmentOffset > 0) {
    text += `, frag ${header.totalLength - header.headerLength}@${header.fragmentOffset}${header.moreFragments ? '+' : ''}`;
  }
  if (header.options.length > 0) text += `, options [${header.options.map((o) => ipv4OptionName(o.type)).join(',')}]`;
  return `${text}, length ${header.totalLength}`;
}

/** The flattened header fields every network-layer pdu trace event carries. */
/** The fixed header fields as a trace payload carries them (RFC 791 §3.1). */
export function ipv4Fields(header: Ipv4Header): Ipv4Fields {
  return {
    source: header.source.toString(),
    destination: header.destination.toString(),
    ipProtocol: header.protocol,
    ttl: header.ttl,
    identification: header.identification,
    totalLength: header.totalLength,
    headerLength: header.headerLength,
    dontFragment: header.dontFragment,
    moreFragments: header.moreFragments,
    fragmentOffset: header.fragmentOffset,
  };
}

/** The typed trace payload of an IPv4 header. */
export function ipv4HeaderInfo(header: Ipv4Header): Ipv4HeaderInfo {
  return { protocol: 'ipv4', ...ipv4Fields(header) };
}
