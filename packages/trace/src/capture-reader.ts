// Reading capture files as tcpdump and Wireshark write them: classic pcap (microsecond and
// nanosecond magic, either byte order, the FCS bits of the link-type field) and pcapng
// (section header, interface description with if_name / if_tsresol / if_fcslen, enhanced,
// simple and obsolete packet blocks, several sections and interfaces). Follows the pcap and
// pcapng specifications of the IETF OPSAWG drafts. Untrusted bytes: it never throws; what it
// cannot read ends the reading with a problem, and everything read before it is kept.

/** LINKTYPE_ETHERNET: the only link type netlayers dissects (others are listed, not decoded). */
export const LINKTYPE_ETHERNET = 1;

export interface CaptureInterface {
  readonly linkType: number;
  readonly snaplen: number;
  /** if_name (pcapng), e.g. "client:eth0" or "eth0". */
  readonly name?: string;
  /** FCS bytes at the end of every packet: 0 unless the file says (pcap F bit, pcapng if_fcslen). */
  readonly fcsLength: number;
}

export interface CapturePacket {
  readonly interfaceId: number;
  /** Nanoseconds since 1970 (bigint: real timestamps do not fit a double exactly). */
  readonly timestampNs: bigint;
  readonly data: Uint8Array;
  /** Length on the wire; larger than data.length when the capture was cut at the snaplen. */
  readonly originalLength: number;
}

export interface CaptureFile {
  readonly format: 'pcap' | 'pcapng';
  readonly interfaces: readonly CaptureInterface[];
  readonly packets: readonly CapturePacket[];
  /** What could not be read (the reading stopped there). Empty for a clean file. */
  readonly problems: readonly string[];
}

export type CaptureReadError = { readonly error: string };

const PCAP_MICRO = 0xa1b2c3d4;
const PCAP_NANO = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly little: boolean) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u16(at: number): number {
    return this.view.getUint16(at, this.little);
  }
  u32(at: number): number {
    return this.view.getUint32(at, this.little);
  }
}

/** Read a pcap or pcapng file. Returns an error only when the bytes are neither. */
export function readCapture(bytes: Uint8Array): CaptureFile | CaptureReadError {
  if (bytes.length < 4) return { error: `${bytes.length} bytes is too short for a capture file` };
  const be = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
  const le = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (be === PCAPNG_SHB) return readPcapng(bytes);
  if (be === PCAP_MICRO || be === PCAP_NANO) return readPcap(bytes, false, be === PCAP_NANO);
  if (le === PCAP_MICRO || le === PCAP_NANO) return readPcap(bytes, true, le === PCAP_NANO);
  return { error: `not a pcap or pcapng file (magic 0x${be.toString(16).padStart(8, '0')})` };
}

export function isCaptureReadError(value: CaptureFile | CaptureReadError): value is CaptureReadError {
  return 'error' in value;
}

function readPcap(bytes: Uint8Array, little: boolean, nano: boolean): CaptureFile | CaptureReadError {
  if (bytes.length < 24) return { error: `pcap header needs 24 bytes, the file has ${bytes.length}` };
  const r = new Reader(bytes, little);
  const snaplen = r.u32(16);
  const linkField = r.u32(20);
  // Bits 0-27: link type; bit 28 ("F"): bits 29-31 give the FCS length in 16-bit words.
  const linkType = linkField & 0x0fffffff;
  const fcsLength = linkField & 0x10000000 ? ((linkField >>> 29) & 0x7) * 2 : 0;
  const packets: CapturePacket[] = [];
  const problems: string[] = [];
  let at = 24;
  while (at < bytes.length) {
    if (at + 16 > bytes.length) {
      problems.push(`record ${packets.length + 1}: header cut short (${bytes.length - at} of 16 bytes)`);
      break;
    }
    const seconds = r.u32(at);
    const fraction = r.u32(at + 4);
    const included = r.u32(at + 8);
    const original = r.u32(at + 12);
    if (at + 16 + included > bytes.length) {
      problems.push(`record ${packets.length + 1}: ${included} bytes announced, ${bytes.length - at - 16} present`);
      break;
    }
    if (!nano && fraction >= 1_000_000) problems.push(`record ${packets.length + 1}: microseconds ${fraction} out of range`);
    const timestampNs = BigInt(seconds) * 1_000_000_000n + BigInt(fraction) * (nano ? 1n : 1000n);
    packets.push({ interfaceId: 0, timestampNs, data: bytes.subarray(at + 16, at + 16 + included), originalLength: original });
    at += 16 + included;
  }
  return { format: 'pcap', interfaces: [{ linkType, snaplen, fcsLength }], packets, problems };
}

interface PcapngInterface extends CaptureInterface {
  /** Timestamp units per second, as a divisor into nanoseconds: ns = units * num / den. */
  readonly unitNum: bigint;
  readonly unitDen: bigint;
}

/** if_tsresol: high bit clear, 10^-n seconds; set, 2^-n seconds. Default 10^-6. */
function resolution(value: number | undefined): { num: bigint; den: bigint } {
  if (value === undefined) return { num: 1000n, den: 1n };
  const exponent = BigInt(value & 0x7f);
  const perSecond = value & 0x80 ? 2n ** exponent : 10n ** exponent;
  return { num: 1_000_000_000n, den: perSecond };
}

function readOptions(r: Reader, from: number, to: number, onOption: (code: number, at: number, length: number) => void): string | undefined {
  let at = from;
  while (at + 4 <= to) {
    const code = r.u16(at);
    const length = r.u16(at + 2);
    if (code === 0) return undefined; // opt_endofopt
    if (at + 4 + length > to) return `option ${code} of ${length} bytes runs past its block`;
    onOption(code, at + 4, length);
    at += 4 + ((length + 3) & ~3);
  }
  return undefined;
}

function readPcapng(bytes: Uint8Array): CaptureFile | CaptureReadError {
  const interfaces: PcapngInterface[] = [];
  const packets: CapturePacket[] = [];
  const problems: string[] = [];
  let sectionBase = 0; // interface ids restart in every section
  let r = new Reader(bytes, true);
  let at = 0;
  let sections = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) {
      problems.push(`block at offset ${at}: cut short (${bytes.length - at} bytes)`);
      break;
    }
    const type = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at, r.little);
    if (type === PCAPNG_SHB) {
      const magicLe = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at + 8, true);
      const little = magicLe === BYTE_ORDER_MAGIC;
      if (!little && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at + 8, false) !== BYTE_ORDER_MAGIC) {
        problems.push(`section at offset ${at}: byte-order magic missing`);
        break;
      }
      r = new Reader(bytes, little);
      sectionBase = interfaces.length;
      sections++;
    }
    const length = r.u32(at + 4);
    if (length < 12 || length % 4 !== 0 || at + length > bytes.length) {
      problems.push(`block at offset ${at}: length ${length} is invalid (file has ${bytes.length - at} bytes left)`);
      break;
    }
    if (r.u32(at + length - 4) !== length) {
      problems.push(`block at offset ${at}: trailing length does not match ${length}`);
      break;
    }
    const body = at + 8;
    const end = at + length - 4;
    if (type === 1) {
      if (end - body < 8) {
        problems.push(`interface block at offset ${at}: too short`);
        break;
      }
      let name: string | undefined;
      let tsresol: number | undefined;
      let fcsLength = 0;
      const problem = readOptions(r, body + 8, end, (code, o, n) => {
        if (code === 2) name = new TextDecoder().decode(bytes.subarray(o, o + n));
        else if (code === 9 && n >= 1) tsresol = bytes[o]!;
        else if (code === 13 && n >= 1) fcsLength = bytes[o]!;
      });
      if (problem !== undefined) problems.push(`interface ${interfaces.length - sectionBase}: ${problem}`);
      const { num, den } = resolution(tsresol);
      interfaces.push({ linkType: r.u16(body), snaplen: r.u32(body + 4), fcsLength, unitNum: num, unitDen: den, ...(name !== undefined ? { name } : {}) });
    } else if (type === 6 || type === 2) {
      const enhanced = type === 6;
      if (end - body < 20) {
        problems.push(`packet block at offset ${at}: too short`);
        break;
      }
      const localId = enhanced ? r.u32(body) : r.u16(body);
      const iface = interfaces[sectionBase + localId];
      const captured = r.u32(body + 12);
      const original = r.u32(body + 16);
      if (iface === undefined) {
        problems.push(`packet at offset ${at}: interface ${localId} was never described`);
      } else if (body + 20 + captured > end) {
        problems.push(`packet at offset ${at}: ${captured} bytes announced, ${end - body - 20} present`);
        break;
      } else {
        const units = (BigInt(r.u32(body + 4)) << 32n) | BigInt(r.u32(body + 8));
        packets.push({ interfaceId: sectionBase + localId, timestampNs: (units * iface.unitNum) / iface.unitDen, data: bytes.subarray(body + 20, body + 20 + captured), originalLength: original });
      }
    } else if (type === 3) {
      const iface = interfaces[sectionBase];
      const original = r.u32(body);
      const captured = Math.min(original, iface?.snaplen || original, end - body - 4);
      if (iface === undefined) problems.push(`simple packet at offset ${at}: no interface described`);
      else packets.push({ interfaceId: sectionBase, timestampNs: 0n, data: bytes.subarray(body + 4, body + 4 + captured), originalLength: original });
    }
    // Other blocks (name resolution, statistics, custom, decryption secrets) are skipped.
    at += length;
  }
  if (sections === 0) return { error: 'pcapng without a section header block' };
  return {
    format: 'pcapng',
    interfaces: interfaces.map(({ unitNum: _n, unitDen: _d, ...i }) => i),
    packets,
    problems,
  };
}
