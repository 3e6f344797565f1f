// A minimal reader for classic libpcap files (the format tcpdump -w writes: a 24-byte global
// header with magic a1b2c3d4 (microseconds) or a1b23c4d (nanoseconds) in either byte order,
// then a 16-byte record header before each frame), enough for the capture fixtures in the
// repository's fixtures/captures. It never throws on bad bytes: it returns a reason.

export interface PcapRecord {
  /** Time since the epoch, nanoseconds (as a bigint: 64 bits of nanoseconds do not fit a number). */
  readonly timestampNs: bigint;
  /** The bytes captured (at most the snapshot length). */
  readonly bytes: Uint8Array;
  /** The frame's length on the wire, which may exceed `bytes.length` when the capture was cut. */
  readonly originalLength: number;
}

export interface PcapFile {
  /** The link-layer header type (1: Ethernet). */
  readonly linkType: number;
  readonly snapLength: number;
  readonly nanosecond: boolean;
  readonly records: readonly PcapRecord[];
}

export const LINKTYPE_ETHERNET = 1;

/** Parse a whole pcap file, or say why it is not one. */
export function readPcap(file: Uint8Array): PcapFile | { readonly error: string } {
  if (file.length < 24) return { error: `${file.length} bytes is shorter than the 24-byte pcap header` };
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = view.getUint32(0, false);
  let little: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) little = false;
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) little = true;
  else return { error: `magic 0x${magic.toString(16)} is not a pcap file (pcapng is not read here)` };
  const nanosecond = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const snapLength = view.getUint32(16, little);
  const linkType = view.getUint32(20, little) & 0x0fffffff;
  const records: PcapRecord[] = [];
  let at = 24;
  while (at < file.length) {
    if (at + 16 > file.length) return { error: `record header at ${at} is cut off` };
    const seconds = view.getUint32(at, little);
    const fraction = view.getUint32(at + 4, little);
    const captured = view.getUint32(at + 8, little);
    const originalLength = view.getUint32(at + 12, little);
    if (at + 16 + captured > file.length) return { error: `record at ${at} claims ${captured} bytes past the end of the file` };
    const timestampNs = BigInt(seconds) * 1_000_000_000n + BigInt(fraction) * (nanosecond ? 1n : 1000n);
    records.push({ timestampNs, bytes: file.subarray(at + 16, at + 16 + captured), originalLength });
    at += 16 + captured;
  }
  return { linkType, snapLength, nanosecond, records };
}
