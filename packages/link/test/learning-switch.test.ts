import { describe, expect, it } from 'vitest';
import { DropReason, InvalidArgumentError, MacAddress, NS_PER_MS, NS_PER_S } from '@netlayers/core';
import { LearningSwitch } from '../src/learning-switch.ts';
import { EthernetInterface } from '../src/ethernet-interface.ts';
import { buildEthernetFrame } from '../src/ethernet.ts';
import { RecordingPhyPort, createWorld, joinedRecordingPorts } from '@netlayers/testing';
import { IP_A, IP_B, MAC_A, MAC_B, MAC_C, ipv4Like, ofKind, recordSent, textOf } from './support/two-hosts.ts';

const MAC_D = MacAddress.parse('02:00:00:00:00:04');
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function bridge(ports = 4, agingTime?: string) {
  const { node, events, sim } = createWorld();
  const sw = new LearningSwitch(node('sw1'), agingTime === undefined ? {} : { agingTime });
  const fakes = Array.from({ length: ports }, (_, i) => new RecordingPhyPort(`sw1:p${i}`));
  for (const p of fakes) sw.addPort(p);
  /** Deliver a frame on port `ingress` and return the ports it came out of. */
  const send = (ingress: number, source: MacAddress, destination: MacAddress, text = 'x'): number[] => {
    const before = fakes.map((p) => p.sent.length);
    fakes[ingress]!.deliver(buildEthernetFrame({ destination, source, etherType: 0x0800 }, new TextEncoder().encode(text)));
    return fakes.flatMap((p, i) => (p.sent.length > before[i]! ? [i] : []));
  };
  return { sw, fakes, send, events, scheduler: sim.scheduler };
}

describe('LearningSwitch forwarding', () => {
  it('floods unknown unicast to every port but the ingress', () => {
    const b = bridge();
    expect(b.send(0, MAC_A, MAC_B)).toEqual([1, 2, 3]);
    expect(b.sw.stats).toMatchObject({ rxFrames: 1, flooded: 1, forwarded: 0 });
  });

  it('floods broadcast and multicast even when the "destination" was seen', () => {
    const b = bridge();
    expect(b.send(1, MAC_B, MacAddress.BROADCAST)).toEqual([0, 2, 3]);
    expect(b.send(2, MAC_C, MacAddress.parse('01:00:5e:00:00:01'))).toEqual([0, 1, 3]);
  });

  it('learns the source port and then forwards to that port only', () => {
    const b = bridge();
    b.send(0, MAC_A, MAC_B); // learns A on 0
    expect(b.send(1, MAC_B, MAC_A)).toEqual([0]); // learns B on 1
    expect(b.send(0, MAC_A, MAC_B)).toEqual([1]);
    expect(b.sw.stats).toMatchObject({ flooded: 1, forwarded: 2 });
    expect(b.sw.macTable().map((e) => [e.mac.toString(), e.port])).toEqual([
      ['02:00:00:00:00:01', 0],
      ['02:00:00:00:00:02', 1],
    ]);
  });

  it('filters a frame whose destination is on its own ingress port', () => {
    const b = bridge();
    b.send(0, MAC_A, MAC_B);
    b.send(0, MAC_C, MAC_B); // C shares port 0 with A (a hub behind it)
    expect(b.send(0, MAC_C, MAC_A)).toEqual([]);
    expect(b.sw.stats.filtered).toBe(1);
    const drops = ofKind(b.events, 'drop');
    expect(drops.map((d) => [d.protocol, d.reason, d.iface, d.detail])).toEqual([['switch', DropReason.Filtered, 'sw1:p0', 'destination is on ingress port 0']]);
  });

  it('relays the frame byte for byte (padding, tag and FCS as received)', () => {
    const b = bridge(2);
    const frame = buildEthernetFrame({ destination: MAC_B, source: MAC_A, etherType: 0x0800, vlan: { pcp: 3, dei: true, vid: 99 } }, new Uint8Array(42).fill(0x5a));
    b.fakes[0]!.deliver(frame);
    expect(toHex(b.fakes[1]!.sent[0]!)).toBe(toHex(frame));
  });

  it('does not learn a group address as a source', () => {
    const b = bridge();
    b.send(0, MacAddress.parse('03:00:00:00:00:01'), MAC_B);
    expect(b.sw.macTable()).toEqual([]);
  });

  it('skips ports that are down, and forgets the stations learned on a port that goes down', () => {
    const b = bridge(3);
    b.send(1, MAC_B, MAC_A);
    b.fakes[2]!.setUp(false);
    expect(b.send(0, MAC_A, MAC_D)).toEqual([1]);
    b.fakes[1]!.setUp(false);
    expect(b.sw.macTable().map((e) => e.mac.toString())).toEqual(['02:00:00:00:00:01']);
    expect(ofKind(b.events, 'note').map((n) => n.message)).toContain('flushed 02:00:00:00:00:02: port 1 went down');
  });
});

describe('LearningSwitch store-and-forward checks', () => {
  it('drops a frame with a bad FCS without learning from it', () => {
    const b = bridge();
    const frame = buildEthernetFrame({ destination: MAC_B, source: MAC_A, etherType: 0x0800 }, new Uint8Array(46));
    frame[30]! ^= 0x04;
    b.fakes[0]!.deliver(frame);
    expect(b.fakes.map((p) => p.sent.length)).toEqual([0, 0, 0, 0]);
    expect(b.sw.macTable()).toEqual([]);
    expect(ofKind(b.events, 'drop').map((d) => [d.reason, d.iface])).toEqual([[DropReason.BadFcs, 'sw1:p0']]);
    expect(b.sw.stats.drops).toBe(1);
  });

  it('drops a runt', () => {
    const b = bridge();
    const frame = buildEthernetFrame({ destination: MAC_B, source: MAC_A, etherType: 0x0800 }, new Uint8Array(46));
    b.fakes[0]!.deliver(frame.subarray(0, 63));
    expect(b.fakes.map((p) => p.sent.length)).toEqual([0, 0, 0, 0]);
    expect(ofKind(b.events, 'drop').map((d) => d.reason)).toEqual([DropReason.Truncated]);
  });
});

describe('LearningSwitch aging and moves', () => {
  it('ages an entry out exactly 300 s after it was last seen, by default', () => {
    const b = bridge();
    b.scheduler.runUntil(7 * NS_PER_S);
    b.send(0, MAC_A, MAC_B);
    expect(b.sw.macTable()).toEqual([{ mac: MAC_A, port: 0, expiresAt: 307 * NS_PER_S }]);
    b.scheduler.runUntil(307 * NS_PER_S - 1);
    expect(b.send(1, MAC_B, MAC_A)).toEqual([0]);
    b.scheduler.runUntil(307 * NS_PER_S);
    expect(b.sw.macTable().map((e) => e.mac.toString())).toEqual(['02:00:00:00:00:02']);
    expect(b.send(1, MAC_B, MAC_A)).toEqual([0, 2, 3]); // unknown again: flooded
    const aged = ofKind(b.events, 'note').filter((n) => n.message.startsWith('aged out'));
    expect(aged.map((n) => [n.time, n.message])).toEqual([[307 * NS_PER_S, 'aged out 02:00:00:00:00:01 from port 0']]);
  });

  it('restarts the age each time the source is seen', () => {
    const b = bridge(4, '10s');
    b.send(0, MAC_A, MAC_B);
    b.scheduler.runUntil(6 * NS_PER_S);
    b.send(0, MAC_A, MAC_B);
    b.scheduler.runUntil(10 * NS_PER_S);
    expect(b.sw.macTable().map((e) => [e.mac.toString(), e.expiresAt])).toEqual([['02:00:00:00:00:01', 16 * NS_PER_S]]);
    b.scheduler.runUntil(16 * NS_PER_S - 1);
    expect(b.sw.macTable()).toHaveLength(1);
    b.scheduler.runUntil(16 * NS_PER_S);
    expect(b.sw.macTable()).toEqual([]);
  });

  it('moves a station that shows up on another port', () => {
    const b = bridge();
    b.send(0, MAC_A, MAC_B);
    b.send(2, MAC_A, MAC_B); // A was re-cabled to port 2
    expect(b.sw.macTable()).toEqual([{ mac: MAC_A, port: 2, expiresAt: 300 * NS_PER_S }]);
    expect(b.send(1, MAC_B, MAC_A)).toEqual([2]);
    expect(ofKind(b.events, 'note').map((n) => n.message)).toEqual([
      'learned 02:00:00:00:00:01 on port 0',
      '02:00:00:00:00:01 moved from port 0 to port 2',
      'learned 02:00:00:00:00:02 on port 1',
    ]);
  });
});

describe('LearningSwitch trace', () => {
  it('traces each relayed frame as a forward PDU with its ingress and egress ports', () => {
    const b = bridge(3);
    b.send(0, MAC_A, MacAddress.BROADCAST);
    b.send(1, MAC_B, MAC_A);
    const pdus = ofKind(b.events, 'pdu');
    expect(pdus.map((e) => [e.direction, e.role, e.protocol, e.iface, ...(e.header.protocol === 'switch' ? [e.header.ingress, e.header.egress, e.header.flooded] : [])])).toEqual([
      ['forward', 'link', 'switch', 'sw1:p0', 0, '1,2', true],
      ['forward', 'link', 'switch', 'sw1:p1', 1, '0', false],
    ]);
    expect(pdus[1]!.text).toBe('port 1 > port 0: 02:00:00:00:00:02 > 02:00:00:00:00:01, ethertype IPv4 (0x0800), length 60');
    expect(pdus[0]!.text).toBe('port 0 > flood [1,2]: 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype IPv4 (0x0800), length 60');
  });
});

describe('LearningSwitch arguments', () => {
  it('rejects a zero aging time and a port attached twice', () => {
    const { node } = createWorld();
    expect(() => new LearningSwitch(node('s'), { agingTime: '0s' })).toThrow(InvalidArgumentError);
    const sw = new LearningSwitch(node('s'));
    const p = new RecordingPhyPort('p');
    expect(sw.addPort(p)).toBe(0);
    expect(() => sw.addPort(p)).toThrow(/port "p"/);
    expect(sw.addPort(new RecordingPhyPort('q'))).toBe(1);
  });
});

describe('hosts talking through a LearningSwitch', () => {
  it('resolves with ARP across the switch, floods once, then forwards unicast only to the target', () => {
    const { sim, node } = createWorld();
    const sw = new LearningSwitch(node('sw1'));
    const hosts = ['h1', 'h2', 'h3'].map((name, i) => {
      const [hostPort, switchPort] = joinedRecordingPorts(sim.scheduler, 1000, [`${name}:eth0`, `sw1:p${i}`]);
      sw.addPort(switchPort);
      const iface = new EthernetInterface(node(name), hostPort, { name: 'eth0', mac: [MAC_A, MAC_B, MAC_C][i]! });
      const got: string[] = [];
      iface.registerProtocol(0x0800, (p) => got.push(textOf(p.bytes)));
      return { iface, hostPort, switchPort, got, sent: recordSent(switchPort, () => sim.scheduler.now()) };
    });
    hosts[0]!.iface.setIpv4Addresses([IP_A]);
    hosts[1]!.iface.setIpv4Addresses([IP_B]);
    sim.scheduler.runFor(NS_PER_MS);
    for (const h of hosts) h.sent.length = 0;

    hosts[0]!.iface.send(ipv4Like(IP_A, 'via switch'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    sim.scheduler.runFor(NS_PER_MS);
    expect(hosts[1]!.got).toEqual(['via switch']);
    expect(hosts[2]!.got).toEqual([]);
    // h3's switch port carried only the broadcast request; the reply and the data were unicast.
    expect(hosts[2]!.sent).toHaveLength(1);
    expect(MacAddress.fromBytes(hosts[2]!.sent[0]!.bytes, 0).isBroadcast).toBe(true);
    expect(sw.macTable().map((e) => [e.mac.toString(), e.port])).toEqual([
      ['02:00:00:00:00:01', 0],
      ['02:00:00:00:00:02', 1],
    ]);
  });
});
