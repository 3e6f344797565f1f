// Our TcpLayer through @netlayers/testing's TCP harness exactly as a student's TCP would go
// through it (docs/swap-a-layer.md, "Testing your TCP segment by segment"): a factory, no
// ISS given (the harness learns it from the SYN,ACK), segments written by the testing
// package's own codec — which must agree byte for byte with ours.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ipv4Address, Packet } from '@netlayers/core';
import { emitTestTcpSegment, parseTestTcpSegment, HARNESS_REMOTE_ISS as R, TcpSegmentHarness, type TestTcpOptions } from '@netlayers/testing';
import { emitTcpSegment, parseTcpSegment, TcpLayer } from '../../src/tcp/index.ts';

const A = Ipv4Address.parse('10.0.0.1');
const B = Ipv4Address.parse('10.0.0.2');

describe("the testing package's TCP codec", () => {
  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  const u16 = fc.integer({ min: 0, max: 0xffff });
  const options: fc.Arbitrary<TestTcpOptions> = fc.record(
    { mss: u16, windowScale: fc.integer({ min: 0, max: 14 }), sackPermitted: fc.constant(true), timestamps: fc.record({ value: u32, echo: u32 }), sack: fc.array(fc.tuple(u32, u32), { minLength: 1, maxLength: 2 }) },
    { requiredKeys: [] },
  );

  it('writes the same bytes as our TCP for any header, options and payload, and each reads the other', () => {
    fc.assert(
      fc.property(fc.record({ sourcePort: u16, destinationPort: u16, seq: u32, ack: u32, flags: fc.integer({ min: 0, max: 255 }), window: u16, options }), fc.uint8Array({ maxLength: 100 }), (fields, payload) => {
        const ours = Packet.alloc(0, 128);
        emitTcpSegment(fields, payload, A, B, ours);
        const theirs = emitTestTcpSegment(fields, payload, A, B);
        expect([...theirs]).toEqual([...ours.toBytes()]);
        const back = parseTcpSegment(theirs, A, B);
        const forth = parseTestTcpSegment(ours.toBytes(), A, B);
        expect(typeof forth).toBe('object');
        expect({ ...back, payload: undefined }).toEqual({ ...(forth as object), payload: undefined });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('TcpSegmentHarness on TcpLayer, as a student would use it', () => {
  const make = () => new TcpSegmentHarness({ factory: (node, ip) => new TcpLayer(node, ip, { delayedAck: 0, timestamps: false, sack: false, windowScaling: false }) });

  it("LISTEN (the guide's example): answers a SYN with SYN,ACK <ACK=SEG.SEQ+1> and an ACK with <SEQ=SEG.ACK><CTL=RST>", () => {
    const h = make();
    h.listen(80);
    h.send({ flags: 'SYN', seq: R });
    h.expectOne({ flags: 'SYN,ACK', ack: R + 1 });
    const other = make();
    other.listen(80);
    other.send({ flags: 'ACK', seq: R, ack: 4242 });
    other.expectOne({ flags: 'RST', seq: 4242 });
  });

  it('works with our TCP at its defaults too (timestamps, SACK, window scaling on), learning the ISS', () => {
    const h = new TcpSegmentHarness({ factory: (node, ip) => new TcpLayer(node, ip) });
    h.listen(80);
    h.send({ flags: 'SYN', seq: R, options: { mss: 1460, sackPermitted: true, timestamps: { value: 1, echo: 0 }, windowScale: 7 } });
    const synAck = h.expectOne({ flags: 'SYN,ACK', ack: R + 1, options: { mss: 1460, sackPermitted: true } });
    expect(h.iss).toBe(synAck.seq);
    expect(synAck.options.timestamps?.echo).toBe(1);
  });

  it('learns the ISS from the SYN,ACK and reaches ESTABLISHED; data is acknowledged', () => {
    const h = make();
    const { socket, received } = h.established();
    expect(socket.state).toBe('ESTABLISHED');
    const iss = h.iss!;
    h.send({ seq: R + 1, ack: iss + 1, flags: 'PSH,ACK', payload: 'hello' });
    h.expectOne({ flags: 'ACK', seq: iss + 1, ack: R + 6 });
    expect(received).toEqual(['hello']);
  });

  it('drops a segment with a bad checksum without answering (RFC 1122 §4.2.2.7)', () => {
    const h = make();
    const { received } = h.established();
    h.send({ seq: R + 1, ack: h.iss! + 1, flags: 'PSH,ACK', payload: 'corrupt', badChecksum: true });
    h.expectNone();
    expect(received).toEqual([]);
    expect(h.eventsOf('drop').map((e) => e.reason)).toEqual(['bad-checksum']);
  });

  it('says which field was wrong and shows what was sent, tcpdump style', () => {
    const h = make();
    h.listen();
    h.send({ flags: 'SYN', seq: R });
    expect(() => h.expectOne({ flags: 'SYN,ACK', ack: R + 2 })).toThrow(
      new RegExp(`^segment differs from expected:\\n  ack: expected ${R + 2}, got ${R + 1}\\n  got: 192\\.168\\.1\\.1\\.80 > 192\\.168\\.1\\.2\\.49500: Flags \\[S\\.\\], seq \\d+, ack ${R + 1}, win \\d+, options \\[mss 1460\\], length 0`),
    );
  });
});
