// Wire format tests (RFC 9293 §3.1): fixed byte vectors checked against an independent
// checksum computation, round trips, a table of invalid inputs with the error each gets,
// and a seeded random-bytes loop asserting the parser never throws.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DropReason, Ipv4Address, isWireError, Packet, type WireError } from '@netlayers/core';
import { emitTcpSegment, parseTcpSegment, segmentLength, TCP_OPTION_NAMES, TcpFlag, tcpFlagNames, tcpOptionName, tcpSummary, tcpdumpFlags, type TcpSegment } from '../../src/tcp/index.ts';

const CLIENT = Ipv4Address.parse('192.168.0.10');
const SERVER = Ipv4Address.parse('93.184.216.34');

function hex(text: string): Uint8Array {
  return new Uint8Array(text.match(/../g)!.map((b) => parseInt(b, 16)));
}

// A Linux-style SYN: MSS 1460, SACK-permitted, timestamps, NOP, window scale 7. The checksum
// 0xa27a was computed independently (Python, RFC 1071 over the pseudo-header and segment).
const SYN = hex('c00000505eb1b2c300000000a002faf0a27a0000020405b40402080a0001e2400000000001030307');
// A data segment PSH,ACK with "hello"; checksum 0x9dc3 computed the same way.
const DATA = hex('0050c000000003e85eb1b2c4501801f69dc3000068656c6c6f');

function parseOk(bytes: Uint8Array, source = CLIENT, destination = SERVER): TcpSegment {
  const seg = parseTcpSegment(bytes, source, destination);
  if (isWireError(seg)) throw new Error(`unexpected WireError: ${seg.detail}`);
  return seg;
}

function parseErr(bytes: Uint8Array, verifyChecksum = false): WireError {
  const seg = parseTcpSegment(bytes, CLIENT, SERVER, { verifyChecksum });
  if (!isWireError(seg)) throw new Error('expected a WireError');
  return seg;
}

// Segments tcpdump captured on the sending host (fixtures/captures/tcp-options.pcap, frames
// 2 and 24; the checksum is the partial one left for the NIC, so it is not verified here):
// an MPTCP SYN (MP_CAPABLE, kind 30) and a TCP Fast Open SYN carrying a cookie (kind 34) and data.
const REAL_MPTCP_SYN = hex('a4201f4191f4749b00000000b002faf014cf0000020405b40402080abee336a2000000000103030a1e040101');
const REAL_TFO_SYN = hex('e68c1f422033f3c400000000d002faf014da0000020405b40402080aa3fc0e48000000000103030a220a21760ff432121db2010174666f');
const FIXTURE_CLIENT = Ipv4Address.parse('10.77.0.1');
const FIXTURE_SERVER = Ipv4Address.parse('10.77.0.2');

describe('options of kinds TCP does not act on (IANA names)', () => {
  it('keeps the MPTCP option of a real SYN and names it as IANA and tcpdump do', () => {
    const seg = parseTcpSegment(REAL_MPTCP_SYN, FIXTURE_CLIENT, FIXTURE_SERVER, { verifyChecksum: false }) as TcpSegment;
    expect(seg.options).toEqual({ mss: 1460, sackPermitted: true, timestamps: { value: 0xbee336a2, echo: 0 }, windowScale: 10, others: [{ kind: 30, name: 'mptcp', data: Uint8Array.of(1, 1) }] });
    expect(TCP_OPTION_NAMES.get(30)?.name).toBe('Multipath TCP (MPTCP)');
    expect(tcpSummary(seg, FIXTURE_CLIENT, FIXTURE_SERVER)).toBe(
      '10.77.0.1.42016 > 10.77.0.2.8001: Flags [S], seq 2448716955, win 64240, options [mss 1460,wscale 10,sackOK,TS val 3202561698 ecr 0,mptcp 4], length 0',
    );
  });

  it('keeps the TCP Fast Open cookie of a real SYN with data', () => {
    const seg = parseTcpSegment(REAL_TFO_SYN, FIXTURE_CLIENT, FIXTURE_SERVER, { verifyChecksum: false }) as TcpSegment;
    expect(seg.options.others).toEqual([{ kind: 34, name: 'tfo', data: hex('21760ff432121db2') }]);
    expect(new TextDecoder().decode(seg.payload)).toBe('tfo');
  });

  it('names the kinds IANA assigns, and only those', () => {
    const names = Object.fromEntries([19, 29, 30, 34, 69, 172, 174, 253, 254, 28, 6, 99, 31].map((k) => [k, tcpOptionName(k)]));
    expect(names).toEqual({ 19: 'md5', 29: 'tcp-ao', 30: 'mptcp', 34: 'tfo', 69: 'tcp-eno', 172: 'accecn0', 174: 'accecn1', 253: 'exp', 254: 'exp', 28: 'uto', 6: 'echo', 99: 'opt-99', 31: 'opt-31' });
    expect(TCP_OPTION_NAMES.get(172)?.name).toBe('Accurate ECN Order 0 (AccECN0)');
  });

  it('still rejects another kind whose length runs past the header', () => {
    const bad = REAL_MPTCP_SYN.slice();
    bad[bad.length - 3] = 9; // the MPTCP option claims 9 bytes where 4 remain
    const result = parseTcpSegment(bad, FIXTURE_CLIENT, FIXTURE_SERVER, { verifyChecksum: false });
    expect(isWireError(result) && result.reason).toBe(DropReason.BadOption);
  });
});

describe('parseTcpSegment: fixed vectors', () => {
  it('parses a real SYN with options', () => {
    const seg = parseOk(SYN);
    expect(seg).toMatchObject({
      sourcePort: 49152,
      destinationPort: 80,
      seq: 0x5eb1b2c3,
      ack: 0,
      dataOffset: 10,
      flags: TcpFlag.SYN,
      window: 64240,
      checksum: 0xa27a,
      urgentPointer: 0,
    });
    expect(seg.options).toEqual({ mss: 1460, windowScale: 7, sackPermitted: true, timestamps: { value: 123456, echo: 0 } });
    expect(seg.payload.length).toBe(0);
    expect(segmentLength(seg)).toBe(1);
  });

  it('parses a data segment and its payload', () => {
    const seg = parseOk(DATA, SERVER, CLIENT);
    expect(seg).toMatchObject({ sourcePort: 80, destinationPort: 49152, seq: 1000, ack: 0x5eb1b2c4, flags: TcpFlag.PSH | TcpFlag.ACK, window: 502 });
    expect(new TextDecoder().decode(seg.payload)).toBe('hello');
    expect(tcpFlagNames(seg.flags)).toBe('PSH,ACK');
  });

  it('rejects the same bytes under another pseudo-header (wrong address)', () => {
    const seg = parseTcpSegment(SYN, CLIENT, Ipv4Address.parse('93.184.216.35'));
    expect(isWireError(seg) && seg.reason).toBe(DropReason.BadChecksum);
  });

  it('emits byte-identical segments (round trip)', () => {
    const syn = parseOk(SYN);
    const packet = Packet.alloc(0);
    const headerLength = emitTcpSegment(syn, null, CLIENT, SERVER, packet);
    expect(headerLength).toBe(40);
    // Our layout puts NOP before WS, as Linux does: identical bytes.
    expect(packet.toBytes()).toEqual(SYN);
    const data = parseOk(DATA, SERVER, CLIENT);
    const out = Packet.alloc(0);
    emitTcpSegment(data, data.payload, SERVER, CLIENT, out);
    expect(out.toBytes()).toEqual(DATA);
  });

  it('emits in front of a payload already in the packet (zero copy)', () => {
    const packet = Packet.from('hello');
    emitTcpSegment({ sourcePort: 80, destinationPort: 49152, seq: 1000, ack: 0x5eb1b2c4, flags: TcpFlag.PSH | TcpFlag.ACK, window: 502 }, null, SERVER, CLIENT, packet);
    expect(packet.toBytes()).toEqual(DATA);
  });

  it('round-trips SACK blocks and odd-length payloads', () => {
    const packet = Packet.alloc(0);
    const options = { timestamps: { value: 0xfffffffe, echo: 7 }, sack: [[10, 20], [4294967290, 5]] as [number, number][] };
    emitTcpSegment({ sourcePort: 1, destinationPort: 2, seq: 0xffffffff, ack: 0x80000000, flags: TcpFlag.ACK | TcpFlag.ECE | TcpFlag.CWR, window: 0xffff, options }, new Uint8Array([1, 2, 3]), CLIENT, SERVER, packet);
    const seg = parseOk(packet.toBytes());
    expect(seg.options).toEqual(options);
    expect(seg.seq).toBe(0xffffffff);
    expect(Array.from(seg.payload)).toEqual([1, 2, 3]);
    expect(tcpFlagNames(seg.flags)).toBe('ACK,ECE,CWR');
    expect(tcpdumpFlags(seg.flags)).toBe('.EW');
  });
});

describe('parseTcpSegment: invalid input', () => {
  const withOptions = (options: number[], dataOffset = 5 + Math.ceil(options.length / 4)): Uint8Array => {
    const padded = [...options];
    while (padded.length % 4 !== 0) padded.push(0);
    const bytes = new Uint8Array(20 + padded.length);
    bytes.set(SYN.subarray(0, 20));
    bytes[12] = dataOffset << 4;
    bytes.set(padded, 20);
    return bytes;
  };
  const table: [string, Uint8Array, DropReason, RegExp][] = [
    ['empty', new Uint8Array(0), DropReason.Truncated, /shorter than the 20-byte header/],
    ['19 bytes', SYN.subarray(0, 19), DropReason.Truncated, /19 bytes/],
    ['data offset 4', withOptions([], 4), DropReason.BadHeaderLength, /data offset 4 is below/],
    ['data offset 0', withOptions([], 0), DropReason.BadHeaderLength, /data offset 0/],
    ['data offset past the segment', withOptions([1, 1, 1, 1], 7), DropReason.BadHeaderLength, /runs past the 24-byte segment/],
    ['option length 0', withOptions([2, 0, 5, 180]), DropReason.BadOption, /length 0/],
    ['option length 1', withOptions([8, 1, 0, 0]), DropReason.BadOption, /length 1/],
    ['option past the header', withOptions([1, 1, 8, 10]), DropReason.BadOption, /runs past the header/],
    ['option without a length byte', withOptions([1, 1, 1, 2]), DropReason.BadOption, /no length byte/],
    ['MSS of length 3', withOptions([2, 3, 5, 1]), DropReason.BadOption, /MSS option has length 3/],
    ['window scale of length 4', withOptions([3, 4, 7, 0]), DropReason.BadOption, /window scale option has length 4/],
    ['SACK-permitted of length 3', withOptions([4, 3, 0, 1]), DropReason.BadOption, /SACK-permitted option has length 3/],
    ['timestamps of length 8', withOptions([8, 8, 0, 0, 0, 0, 0, 0]), DropReason.BadOption, /timestamps option has length 8/],
    ['SACK of length 6', withOptions([5, 6, 0, 0, 0, 0, 1, 1]), DropReason.BadOption, /SACK option has length 6/],
    ['SACK of length 2 + 8n + 1', withOptions([5, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), DropReason.BadOption, /SACK option has length 11/],
  ];
  for (const [name, bytes, reason, detail] of table) {
    it(`${name} -> ${reason}`, () => {
      const err = parseErr(bytes);
      expect(err.reason).toBe(reason);
      expect(err.detail).toMatch(detail);
    });
  }

  it('a flipped bit fails the checksum', () => {
    const bytes = SYN.slice();
    bytes[30]! ^= 0x10;
    const err = parseErr(bytes, true);
    expect(err.reason).toBe(DropReason.BadChecksum);
    expect(err.detail).toMatch(/checksum 0xa27a does not verify/);
  });

  it('verifyChecksum: false skips the checksum only', () => {
    const bytes = SYN.slice();
    bytes[16] = 0;
    expect(isWireError(parseTcpSegment(bytes, CLIENT, SERVER, { verifyChecksum: false }))).toBe(false);
    expect(isWireError(parseTcpSegment(bytes, CLIENT, SERVER))).toBe(true);
  });

  it('stops at End of Option List and keeps options of other kinds, named', () => {
    const seg = parseTcpSegment(withOptions([30, 4, 9, 9, 2, 4, 5, 180, 0, 99, 99, 99]), CLIENT, SERVER, { verifyChecksum: false });
    expect(isWireError(seg) ? seg.detail : seg.options).toEqual({ mss: 1460, others: [{ kind: 30, name: 'mptcp', data: Uint8Array.of(9, 9) }] });
  });

  it('reads NOP, NOP, Timestamps (the common layout, a fast path) as the general parser reads the same option elsewhere', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (ts) => {
        const common = parseTcpSegment(withOptions([1, 1, 8, 10, ...ts]), CLIENT, SERVER, { verifyChecksum: false });
        const moved = parseTcpSegment(withOptions([8, 10, ...ts, 1, 1]), CLIENT, SERVER, { verifyChecksum: false });
        const value = ((ts[0]! << 24) | (ts[1]! << 16) | (ts[2]! << 8) | ts[3]!) >>> 0;
        const echo = ((ts[4]! << 24) | (ts[5]! << 16) | (ts[6]! << 8) | ts[7]!) >>> 0;
        expect(isWireError(common) ? common.detail : common.options).toEqual({ timestamps: { value, echo } });
        expect(isWireError(moved) ? moved.detail : moved.options).toEqual({ timestamps: { value, echo } });
      }),
      { numRuns: 200 },
    );
    // The same twelve bytes followed by more options: not the fast path, and nothing is lost.
    const longer = parseTcpSegment(withOptions([1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 2, 4, 5, 180]), CLIENT, SERVER, { verifyChecksum: false });
    expect(isWireError(longer) ? longer.detail : longer.options).toEqual({ timestamps: { value: 1, echo: 2 }, mss: 1460 });
  });

  it('never throws on 10,000 seeded random inputs', () => {
    // fast-check: random segments up to 80 bytes, half of them (20 bytes or longer) with a
    // plausible data offset so option parsing is exercised; a quarter parsed without
    // checking the checksum. A failure shrinks to the smallest input.
    const input = fc
      .tuple(fc.integer({ min: 0, max: 80 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), fc.boolean(), fc.integer({ min: 5, max: 15 }), fc.integer({ min: 0, max: 3 }))
      .map(([bytes, plausible, offset, check]) => {
        if (plausible && bytes.length >= 20) bytes[12] = (offset << 4) | (bytes[12]! & 0x0f);
        return { bytes, verifyChecksum: check !== 0 };
      });
    let parsed = 0;
    fc.assert(
      fc.property(input, ({ bytes, verifyChecksum }) => {
        const result = parseTcpSegment(bytes, CLIENT, SERVER, { verifyChecksum });
        if (!isWireError(result)) {
          parsed++;
          expect(result.payload.length).toBe(bytes.length - result.dataOffset * 4);
          tcpSummary(result, CLIENT, SERVER);
        }
      }),
      { numRuns: 10_000 },
    );
    expect(parsed).toBeGreaterThan(0);
  });
});

describe('tcpSummary', () => {
  it('prints a tcpdump-style line', () => {
    expect(tcpSummary(parseOk(SYN), CLIENT, SERVER)).toBe(
      '192.168.0.10.49152 > 93.184.216.34.80: Flags [S], seq 1588703939, win 64240, options [mss 1460,wscale 7,sackOK,TS val 123456 ecr 0], length 0',
    );
    expect(tcpSummary(parseOk(DATA, SERVER, CLIENT), SERVER, CLIENT)).toBe('93.184.216.34.80 > 192.168.0.10.49152: Flags [P.], seq 1000:1005, ack 1588703940, win 502, length 5');
  });

  it('matches the documented SYN,ACK example', () => {
    const line = tcpSummary(
      { sourcePort: 49152, destinationPort: 80, seq: 0, ack: 1, flags: TcpFlag.SYN | TcpFlag.ACK, window: 65535, options: { mss: 1460, windowScale: 7, sackPermitted: true, timestamps: { value: 1, echo: 0 } }, payload: new Uint8Array(0) },
      Ipv4Address.parse('10.0.0.1'),
      Ipv4Address.parse('10.0.0.2'),
    );
    expect(line).toBe('10.0.0.1.49152 > 10.0.0.2.80: Flags [S.], seq 0, ack 1, win 65535, options [mss 1460,wscale 7,sackOK,TS val 1 ecr 0], length 0');
  });

  it('spells flags with RFC names and tcpdump letters', () => {
    expect(tcpFlagNames(TcpFlag.SYN | TcpFlag.ACK)).toBe('SYN,ACK');
    expect(tcpFlagNames(TcpFlag.FIN | TcpFlag.ACK)).toBe('FIN,ACK');
    expect(tcpFlagNames(TcpFlag.RST | TcpFlag.ACK)).toBe('RST,ACK');
    expect(tcpFlagNames(0)).toBe('');
    expect(tcpdumpFlags(TcpFlag.FIN | TcpFlag.PSH | TcpFlag.ACK)).toBe('FP.');
    expect(tcpdumpFlags(TcpFlag.RST)).toBe('R');
    expect(tcpdumpFlags(0)).toBe('none');
  });
});
