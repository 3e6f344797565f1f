// ICMP inside the IPv4 layer: errors reach the protocol that sent the quoted datagram,
// errors about datagrams we never sent and unsolicited echo replies are dropped, corrupt
// ICMP is dropped with its WireError reason. Two hosts on one fake segment.

import { describe, expect, it } from 'vitest';
import { createNodeContext, createSimulationContext, DropReason, Ipv4Address, NS_PER_MS, Packet, type DropEvent, type IcmpErrorReport } from '@netlayers/core';
import { Ipv4Layer, emitIcmp, emitIpv4Header, encodeIcmp, makeIpv4Header } from '../src/index.ts';
import { fakeWire } from './support/topology.ts';

const ip = (text: string): Ipv4Address => Ipv4Address.parse(text);

function pair() {
  const sim = createSimulationContext(5);
  const wire = fakeWire(NS_PER_MS);
  const h1 = new Ipv4Layer(createNodeContext(sim, 'h1'));
  const h2 = new Ipv4Layer(createNodeContext(sim, 'h2'));
  const h1Link = wire.attach(h1.node, 'eth0');
  h1.addInterface(h1Link, '192.168.1.1/24');
  h2.addInterface(wire.attach(h2.node, 'eth0'), '192.168.1.2/24');
  const dropped: DropEvent[] = [];
  sim.trace.on('drop', (e) => dropped.push(e));
  return { sim, wire, h1, h2, h1Link, dropped };
}

/** An IPv4 datagram from h2 to h1 carrying `icmp`. */
function icmpFromH2(icmp: Uint8Array): Uint8Array {
  const header = makeIpv4Header({ source: ip('192.168.1.2'), destination: ip('192.168.1.1'), protocol: 1, payloadLength: icmp.length });
  const bytes = new Uint8Array(header.totalLength);
  emitIpv4Header(header, bytes);
  bytes.set(icmp, 20);
  return bytes;
}

/** The first 28 bytes of a UDP datagram `source` → 192.168.1.2:53. */
function quotedUdp(source: string): Uint8Array {
  const quoted = new Uint8Array(28);
  emitIpv4Header(makeIpv4Header({ source: ip(source), destination: ip('192.168.1.2'), protocol: 17, payloadLength: 8 }), quoted);
  quoted.set([0xc3, 0x50, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00], 20);
  return quoted;
}

describe('IcmpService', () => {
  it('delivers an error to the onError of the protocol the quoted datagram carried, and only to it', () => {
    const { h1, h1Link } = pair();
    const udpErrors: IcmpErrorReport[] = [];
    const tcpErrors: IcmpErrorReport[] = [];
    h1.registerProtocol(17, () => {}, (r) => udpErrors.push(r));
    h1.registerProtocol(6, () => {}, (r) => tcpErrors.push(r));
    h1Link.inject(icmpFromH2(encodeIcmp({ kind: 'destination-unreachable', code: 3, nextHopMtu: 0, original: quotedUdp('192.168.1.1') })));
    expect(tcpErrors).toHaveLength(0);
    expect(udpErrors).toHaveLength(1);
    const r = udpErrors[0]!;
    expect(r).toMatchObject({ type: 'destination-unreachable', icmpType: 3, icmpCode: 3, originalProtocol: 17 });
    expect(r.mtu).toBeUndefined();
    expect(r.reporter.toString()).toBe('192.168.1.2');
    expect([...r.originalPayload.subarray(0, 4)]).toEqual([0xc3, 0x50, 0x00, 0x35]);
  });

  it('delivers source quench and parameter problem too', () => {
    const { h1, h1Link } = pair();
    const errors: IcmpErrorReport[] = [];
    h1.registerProtocol(17, () => {}, (r) => errors.push(r));
    h1Link.inject(icmpFromH2(encodeIcmp({ kind: 'source-quench', code: 0, original: quotedUdp('192.168.1.1') })));
    h1Link.inject(icmpFromH2(encodeIcmp({ kind: 'parameter-problem', code: 0, pointer: 9, original: quotedUdp('192.168.1.1') })));
    expect(errors.map((e) => [e.type, e.icmpType])).toEqual([['source-quench', 4], ['parameter-problem', 12]]);
  });

  it('drops an error that quotes a datagram someone else sent', () => {
    const { h1, h1Link, dropped } = pair();
    const errors: IcmpErrorReport[] = [];
    h1.registerProtocol(17, () => {}, (r) => errors.push(r));
    h1Link.inject(icmpFromH2(encodeIcmp({ kind: 'time-exceeded', code: 0, original: quotedUdp('192.168.1.77') })));
    expect(errors).toHaveLength(0);
    expect(dropped.map((d) => [d.protocol, d.reason])).toEqual([['icmp', DropReason.NotForUs]]);
  });

  it('drops an error about a protocol nobody registered, and one with a truncated quote', () => {
    const { h1Link, dropped } = pair();
    h1Link.inject(icmpFromH2(encodeIcmp({ kind: 'destination-unreachable', code: 1, nextHopMtu: 0, original: quotedUdp('192.168.1.1') })));
    h1Link.inject(icmpFromH2(encodeIcmp({ kind: 'destination-unreachable', code: 1, nextHopMtu: 0, original: quotedUdp('192.168.1.1').subarray(0, 12) })));
    expect(dropped.map((d) => [d.protocol, d.reason])).toEqual([
      ['icmp', DropReason.NoSocket],
      ['icmp', DropReason.Truncated],
    ]);
  });

  it('drops corrupt ICMP with its reason and an echo reply no ping waits for', () => {
    const { h1Link, dropped } = pair();
    const echo = encodeIcmp({ kind: 'echo-reply', code: 0, identifier: 9, sequence: 9, data: new Uint8Array(4) });
    h1Link.inject(icmpFromH2(echo));
    const corrupt = echo.slice();
    corrupt[9] = 1;
    h1Link.inject(icmpFromH2(corrupt));
    h1Link.inject(icmpFromH2(echo.subarray(0, 6)));
    expect(dropped.map((d) => [d.protocol, d.reason])).toEqual([
      ['icmp', DropReason.NoSocket],
      ['icmp', DropReason.BadChecksum],
      ['icmp', DropReason.Truncated],
    ]);
  });

  it('answers an echo request with a TTL of its own and no ICMP error for a reply it cannot match', () => {
    const { sim, wire, h2 } = pair();
    const request = Packet.alloc(12);
    emitIcmp({ kind: 'echo-request', code: 0, identifier: 3, sequence: 4, data: Uint8Array.from([9, 8, 7, 6]) }, request.bytes);
    h2.send(request, { destination: ip('192.168.1.1'), protocol: 1, ttl: 5 });
    sim.scheduler.runUntilIdle();
    // request out, reply back; h2 has no ping waiting, so the reply is dropped quietly (no third frame).
    expect(wire.frames).toHaveLength(2);
    expect(wire.frames[1]!.bytes[8]).toBe(64);
  });
});
