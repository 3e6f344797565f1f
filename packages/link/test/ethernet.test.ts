import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DropReason, InvalidArgumentError, MacAddress, Packet, isWireError, type WireError } from '@netlayers/core';
import {
  FCS_RESIDUE,
  buildEthernetFrame,
  emitEthernetHeader,
  encapsulate,
  ethernetSummary,
  hasValidFcs,
  parseEthernetFrame,
  type EthernetFrame,
} from '../src/ethernet.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Bit-at-a-time CRC-32 straight from the IEEE 802.3 definition: the hand-checkable reference. */
function referenceCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const SRC = MacAddress.parse('02:00:00:00:00:01');
const DST = MacAddress.parse('02:00:00:00:00:02');

// An ARP request (who-has 10.0.0.2 tell 10.0.0.1) broadcast by 02:00:00:00:00:01, padded to
// 60 bytes. FCS 0xf84d6fe8 (Python: zlib.crc32 of the 60 bytes), stored e8 6f 4d f8.
const ARP_PAYLOAD = hex('0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002');
const ARP_FRAME = hex(
  'ffffffffffff 020000000001 0806' +
    '0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002' +
    '000000000000000000000000000000000000' +
    'e86f4df8',
);

// 802.1Q-tagged (PCP 5, VID 10) IPv4 frame carrying "hello", padded to 64 bytes with FCS
// 0x5a4284a8 (Python zlib.crc32), stored a8 84 42 5a.
// Captured by tcpdump on a veth in a network namespace (fixtures/captures/http-curl.pcap):
// an ARP request (frame 3) and a TCP RST (frame 6), as the sending host saw them.
const REAL_ARP_REQUEST = 'ffffffffffff020000000c0208060001080006040001020000000c020a4d00020000000000000a4d0001';
const REAL_RST = '020000000c02020000000c0108004500002800004000400626340a4d00010a4d00020001bc3600000000b7c4a3d850140000835f0000';
const TAGGED_FRAME = hex(
  '020000000002 020000000001 8100 a00a 0800' + '68656c6c6f' + '00'.repeat(37) + 'a884425a',
);

function parsed(bytes: Uint8Array, options?: { hasFcs?: boolean }): EthernetFrame {
  const result = parseEthernetFrame(bytes, options);
  if (isWireError(result)) throw new Error(`expected a frame, got ${result.reason}: ${result.detail}`);
  return result;
}

describe('Ethernet II fixed vectors', () => {
  it('the reference CRC-32 gives the standard check value for "123456789"', () => {
    expect(referenceCrc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('the ARP frame vector carries the FCS the reference CRC computes, least-significant byte first', () => {
    expect(ARP_FRAME.length).toBe(64);
    expect(referenceCrc32(ARP_FRAME.subarray(0, 60))).toBe(0xf84d6fe8);
    expect(toHex(ARP_FRAME.subarray(60))).toBe('e86f4df8');
    // CRC over data + correct FCS is the fixed residue
    expect(referenceCrc32(ARP_FRAME)).toBe(FCS_RESIDUE);
  });

  it('encapsulate produces the vector byte for byte: header in the headroom, zero padding to 46, FCS appended', () => {
    const packet = Packet.from(ARP_PAYLOAD);
    const headroomBefore = packet.headroom;
    encapsulate(packet, { destination: MacAddress.BROADCAST, source: SRC, etherType: 0x0806 });
    expect(packet.headroom).toBe(headroomBefore - 14);
    expect(toHex(packet.bytes)).toBe(toHex(ARP_FRAME));
  });

  it('encapsulate pads even a payload that arrives with stale bytes in its tailroom', () => {
    const packet = Packet.from(new Uint8Array(40).fill(0xaa));
    packet.truncate(28); // the 12 bytes behind the tail are now 0xaa garbage
    encapsulate(packet, { destination: DST, source: SRC, etherType: 0x0800 });
    expect(packet.length).toBe(64);
    expect(toHex(packet.bytes.subarray(14 + 28, 60))).toBe('00'.repeat(18));
    expect(hasValidFcs(packet.bytes)).toBe(true);
  });

  it('parses the vector back into its fields', () => {
    const frame = parsed(ARP_FRAME);
    expect(frame.destination.toString()).toBe('ff:ff:ff:ff:ff:ff');
    expect(frame.source.toString()).toBe('02:00:00:00:00:01');
    expect(frame.etherType).toBe(0x0806);
    expect(frame.vlan).toBeUndefined();
    expect(frame.headerLength).toBe(14);
    expect(frame.fcs).toBe(0xf84d6fe8);
    expect(frame.length).toBe(64);
    expect(frame.payload.length).toBe(46);
    expect(toHex(frame.payload.subarray(0, 28))).toBe(toHex(ARP_PAYLOAD));
  });

  it('the payload is a view into the received bytes, not a copy', () => {
    const bytes = ARP_FRAME.slice();
    const frame = parsed(bytes);
    expect(frame.payload.buffer).toBe(bytes.buffer);
    expect(frame.payload.byteOffset).toBe(14);
  });

  it('parses an 802.1Q tag and reports the inner EtherType', () => {
    const frame = parsed(TAGGED_FRAME);
    expect(frame.vlan).toEqual({ pcp: 5, dei: false, vid: 10 });
    expect(frame.etherType).toBe(0x0800);
    expect(frame.headerLength).toBe(18);
    expect(frame.payload.length).toBe(42);
    expect(new TextDecoder().decode(frame.payload.subarray(0, 5))).toBe('hello');
  });

  it('emits the same tagged vector (tagged frames pad to 42 payload bytes)', () => {
    const bytes = buildEthernetFrame(
      { destination: DST, source: SRC, etherType: 0x0800, vlan: { pcp: 5, dei: false, vid: 10 } },
      new TextEncoder().encode('hello'),
    );
    expect(toHex(bytes)).toBe(toHex(TAGGED_FRAME));
  });

  it('reads the DEI bit and the full 12-bit VID', () => {
    const bytes = buildEthernetFrame({ destination: DST, source: SRC, etherType: 0x86dd, vlan: { pcp: 7, dei: true, vid: 4094 } }, new Uint8Array(50));
    expect(toHex(bytes.subarray(12, 18))).toBe('8100' + 'fffe' + '86dd');
    expect(parsed(bytes).vlan).toEqual({ pcp: 7, dei: true, vid: 4094 });
  });

  it('does not pad a payload already at or above the minimum', () => {
    const bytes = buildEthernetFrame({ destination: DST, source: SRC, etherType: 0x0800 }, new Uint8Array(100).fill(7));
    expect(bytes.length).toBe(14 + 100 + 4);
    expect(parsed(bytes).payload.length).toBe(100);
  });

  it('parses a capture without FCS when told so', () => {
    const frame = parsed(ARP_FRAME.subarray(0, 60), { hasFcs: false });
    expect(frame.fcs).toBeNull();
    expect(frame.payload.length).toBe(46);
    expect(frame.length).toBe(60);
  });

  it('accepts unpadded frames from a sender-side capture when there is no FCS', () => {
    // Both frames are bytes tcpdump wrote on the sending host (fixtures/captures/http-curl.pcap,
    // frames 3 and 6): nothing pads a frame before the NIC, so they are 42 and 54 bytes.
    const arp = parsed(hex(REAL_ARP_REQUEST), { hasFcs: false });
    expect([arp.length, arp.etherType, arp.payload.length, arp.fcs]).toEqual([42, 0x0806, 28, null]);
    expect(arp.destination.toString()).toBe('ff:ff:ff:ff:ff:ff');
    const rst = parsed(hex(REAL_RST), { hasFcs: false });
    expect([rst.length, rst.etherType, rst.payload.length]).toEqual([54, 0x0800, 40]);
    // Only a header is needed; 13 bytes are still too short.
    expect(parsed(hex(REAL_ARP_REQUEST).subarray(0, 14), { hasFcs: false }).payload.length).toBe(0);
    expect((parseEthernetFrame(hex(REAL_ARP_REQUEST).subarray(0, 13), { hasFcs: false }) as WireError).reason).toBe(DropReason.Truncated);
  });

  it('emitEthernetHeader writes exactly the header bytes', () => {
    const into = new Uint8Array(14);
    emitEthernetHeader({ destination: MacAddress.BROADCAST, source: SRC, etherType: 0x0806 }, into);
    expect(toHex(into)).toBe('ffffffffffff0200000000010806');
  });
});

describe('ethernetSummary (tcpdump -e style)', () => {
  it('prints addresses, EtherType and the length without FCS', () => {
    expect(ethernetSummary(parsed(ARP_FRAME))).toBe('02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 60');
  });
  it('prints the VLAN tag and inner EtherType of a tagged frame', () => {
    expect(ethernetSummary(parsed(TAGGED_FRAME))).toBe(
      '02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype 802.1Q (0x8100), length 60: vlan 10, p 5, ethertype IPv4 (0x0800)',
    );
  });
  it('prints an unnamed EtherType in hex only', () => {
    const bytes = buildEthernetFrame({ destination: DST, source: SRC, etherType: 0x88cc }, new Uint8Array(46));
    expect(ethernetSummary(parsed(bytes))).toBe('02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype 0x88cc, length 60');
  });
});

describe('parseEthernetFrame rejects invalid frames', () => {
  const flip = (bytes: Uint8Array, index: number): Uint8Array => {
    const copy = bytes.slice();
    copy[index]! ^= 0x01;
    return copy;
  };
  const cases: { name: string; bytes: Uint8Array; options?: { hasFcs?: boolean; requireMinimumSize?: boolean }; reason: string; detail: RegExp }[] = [
    { name: 'empty', bytes: new Uint8Array(0), reason: DropReason.Truncated, detail: /14-byte Ethernet header/ },
    { name: '13 bytes', bytes: ARP_FRAME.subarray(0, 13), reason: DropReason.Truncated, detail: /14-byte Ethernet header/ },
    { name: 'TPID 0x8100 with no room for the tag', bytes: TAGGED_FRAME.subarray(0, 16), reason: DropReason.Truncated, detail: /802\.1Q/ },
    { name: 'TPID 0x8100, 17 bytes', bytes: TAGGED_FRAME.subarray(0, 17), reason: DropReason.Truncated, detail: /802\.1Q/ },
    { name: 'runt: 63 bytes', bytes: ARP_FRAME.subarray(0, 63), reason: DropReason.Truncated, detail: /runt frame: 63 bytes .* 64-byte/ },
    { name: 'runt without FCS held to the minimum: 59 bytes', bytes: ARP_FRAME.subarray(0, 59), options: { hasFcs: false, requireMinimumSize: true }, reason: DropReason.Truncated, detail: /60-byte minimum/ },
    { name: 'runt with FCS even when asked not to check size: 17 bytes', bytes: ARP_FRAME.subarray(0, 17), options: { requireMinimumSize: false }, reason: DropReason.Truncated, detail: /no room for the FCS/ },
    { name: 'a 42-byte unpadded ARP frame read as if it had an FCS', bytes: hex(REAL_ARP_REQUEST), reason: DropReason.Truncated, detail: /runt frame: 42 bytes .* 64-byte/ },
    { name: 'one bit flipped in the destination', bytes: flip(ARP_FRAME, 0), reason: DropReason.BadFcs, detail: /FCS 0xf84d6fe8 does not match/ },
    { name: 'one bit flipped in the padding', bytes: flip(ARP_FRAME, 50), reason: DropReason.BadFcs, detail: /does not match/ },
    { name: 'one bit flipped in the FCS', bytes: flip(ARP_FRAME, 63), reason: DropReason.BadFcs, detail: /computed CRC-32 0xf84d6fe8/ },
    { name: 'FCS stored big-endian', bytes: hex(toHex(ARP_FRAME.subarray(0, 60)) + 'f84d6fe8'), reason: DropReason.BadFcs, detail: /does not match/ },
    { name: 'tagged frame with a bad FCS', bytes: flip(TAGGED_FRAME, 15), reason: DropReason.BadFcs, detail: /does not match/ },
  ];
  it.each(cases)('$name → $reason', ({ bytes, options, reason, detail }) => {
    const result = parseEthernetFrame(bytes, options);
    expect(isWireError(result)).toBe(true);
    expect((result as WireError).reason).toBe(reason);
    expect((result as WireError).detail).toMatch(detail);
  });
});

describe('emit rejects bad arguments', () => {
  it('throws InvalidArgumentError naming an 802.3 length used as an EtherType', () => {
    expect(() => buildEthernetFrame({ destination: DST, source: SRC, etherType: 1500 }, new Uint8Array(46))).toThrow(InvalidArgumentError);
    expect(() => buildEthernetFrame({ destination: DST, source: SRC, etherType: 1500 }, new Uint8Array(46))).toThrow(/etherType 1500/);
  });
  it('throws for a VLAN ID of 4095 and a PCP of 8', () => {
    expect(() => buildEthernetFrame({ destination: DST, source: SRC, etherType: 0x0800, vlan: { pcp: 0, dei: false, vid: 4095 } }, new Uint8Array(1))).toThrow(/vlan\.vid 4095/);
    expect(() => buildEthernetFrame({ destination: DST, source: SRC, etherType: 0x0800, vlan: { pcp: 8, dei: false, vid: 1 } }, new Uint8Array(1))).toThrow(/vlan\.pcp 8/);
  });
});

describe('parseEthernetFrame never throws', () => {
  it('survives 20,000 random inputs, half of them with a valid FCS', () => {
    // fast-check: random frames up to 160 bytes, 30% of them (when long enough) tagged 802.1Q,
    // half re-sealed with a valid FCS, parsed with or without an FCS; failures shrink.
    const input = fc.record({ bytes: fc.uint8Array({ maxLength: 160, size: 'max' }), tagged: fc.boolean(), tagChance: fc.integer({ min: 0, max: 9 }), validFcs: fc.boolean(), hasFcs: fc.integer({ min: 0, max: 9 }) });
    let frames = 0;
    let errors = 0;
    fc.assert(
      fc.property(input, ({ bytes, tagged, tagChance, validFcs, hasFcs }) => {
        const length = bytes.length;
        if (tagged && tagChance < 6 && length >= 18) {
          bytes[12] = 0x81; // exercise the 802.1Q path
          bytes[13] = 0x00;
        }
        const frame = validFcs && length >= 4 ? buildValidFcs(bytes.subarray(0, length - 4)) : bytes;
        const result = parseEthernetFrame(frame, { hasFcs: hasFcs < 9 });
        if (isWireError(result)) {
          errors++;
          expect(typeof result.detail).toBe('string');
        } else {
          frames++;
          expect(result.payload.length).toBe(result.length - result.headerLength - (result.fcs === null ? 0 : 4));
        }
      }),
      { numRuns: 20_000 },
    );
    expect(frames).toBeGreaterThan(1000);
    expect(errors).toBeGreaterThan(1000);
  });
});

function buildValidFcs(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  const fcs = referenceCrc32(body);
  out[body.length] = fcs & 0xff;
  out[body.length + 1] = (fcs >>> 8) & 0xff;
  out[body.length + 2] = (fcs >>> 16) & 0xff;
  out[body.length + 3] = fcs >>> 24;
  return out;
}
