// Conformance suite for the link contract (LinkInterface in @netlayers/core): what a network
// layer relies on. Demultiplexing by EtherType, resolving an IPv4 next hop (ARP, RFC 826, or
// nothing at all on a point-to-point link) and delivering, broadcast, address filtering,
// the MTU, dropping corrupted frames with a trace event instead of throwing, and isUp /
// onStateChange following the medium. Two entries: `linkLayerSuite` for a link layer that
// sits on a PhyPort (Ethernet over a medium), `linkPairSuite` for a module that owns its
// wire (a four-layer network-access module such as PPP).

import { describe, expect } from 'vitest';
import {
  EtherType,
  Ipv4Address,
  Packet,
  Random,
  type FrameReceiver,
  type LinkInterface,
  type LinkReceiveInfo,
  type Medium,
  type NodeContext,
  type PhyCapabilities,
  type PhyPort,
  type PhyPortStats,
  type SimulationContext,
} from '@netlayers/core';
import { FakeMedium } from '../fakes/medium.ts';
import { createWorld, runUntil, testBytes, type TestWorld, teachingIt } from './support.ts';

const it = teachingIt('link layer conformance', {
  'delivers to the protocol registered for each EtherType': { rfc: 'IEEE 802.3 §3.2.6 (EtherType)', hint: 'demultiplex received frames by their EtherType to the handler registerProtocol stored' },
  "resolves an 'ipv4' next hop and keeps delivering in order once resolved": { rfc: 'RFC 826', hint: 'queue packets while ARP resolves the next hop, then send them in order; later packets use the cache' },
  'delivers a broadcast to every other interface and not to the sender': { rfc: 'RFC 894', hint: 'send to ff:ff:ff:ff:ff:ff and accept broadcast frames on receive' },
  'does not deliver frames meant for another host': { hint: 'on a shared medium, drop frames whose destination MAC is neither yours nor broadcast/multicast' },
  'reports an MTU it carries: mtu bytes arrive whole, mtu + 1 do not and nothing throws': { rfc: 'RFC 894 (1500-byte Ethernet payload)', hint: 'refuse (drop with reason too-big) packets larger than mtu instead of throwing' },
  'drops a corrupted frame with a drop event and never throws on garbage': { rfc: 'IEEE 802.3 §3.2.9 (FCS)', hint: "check the FCS and the header length; call node.tracer.drop('link', ..., DropReason.BadChecksum, ...) and return; a parser returns an error value, never throws" },
  'follows the medium: isUp and onStateChange, no delivery while down': { hint: "forward the port's onLinkChange to your listeners and refuse to send while down" },
  'counts frames and bytes in its stats': { hint: 'count txFrames/txBytes on send and rxFrames/rxBytes on delivery' },
});

/** One end of a link under test. */
export interface LinkEnd {
  readonly node: NodeContext;
  readonly iface: LinkInterface;
  /** Hand raw wire bytes to this end as if they arrived from the medium. */
  inject(bytes: Uint8Array): void;
  /** The frames this end put on the wire so far. */
  readonly transmitted: Uint8Array[];
  /** Make the medium look down (false) or up (true) to this end. */
  setMediumUp(up: boolean): void;
}

export interface LinkHarness {
  readonly world: TestWorld;
  readonly ends: readonly LinkEnd[];
}

/** What `linkPairSuite` needs from a module that owns its wire. */
export interface LinkPair {
  readonly a: LinkInterface;
  readonly b: LinkInterface;
  /** Deliver raw wire bytes to one side, as if they arrived over the wire. */
  inject(side: 'a' | 'b', bytes: Uint8Array): void;
  /** Watch the bytes each side puts on the wire. */
  onWire(listener: (from: 'a' | 'b', bytes: Uint8Array) => void): void;
  /** Cut (false) or restore (true) the wire. */
  setWireUp(up: boolean): void;
}

/**
 * A PhyPort wrapper the suite hands to the link under test: it records transmitted frames,
 * lets the suite inject received ones, and can pretend the medium went down.
 */
class ControlledPort implements PhyPort {
  readonly transmitted: Uint8Array[] = [];
  private receiver: FrameReceiver | null = null;
  private readonly listeners: ((up: boolean) => void)[] = [];
  private forcedUp = true;

  constructor(private readonly inner: PhyPort) {
    inner.setReceiver((frame) => {
      if (this.forcedUp) this.receiver?.(frame);
    });
    inner.onLinkChange((up) => {
      if (this.forcedUp) for (const l of this.listeners) l(up);
    });
  }
  get name(): string {
    return this.inner.name;
  }
  get capabilities(): PhyCapabilities {
    return this.inner.capabilities;
  }
  get stats(): PhyPortStats {
    return this.inner.stats;
  }
  get isUp(): boolean {
    return this.forcedUp && this.inner.isUp;
  }
  transmit(frame: Uint8Array): boolean {
    if (!this.isUp) return false;
    this.transmitted.push(frame.slice());
    return this.inner.transmit(frame);
  }
  setReceiver(receiver: FrameReceiver | null): void {
    this.receiver = receiver;
  }
  onLinkChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
  }
  inject(bytes: Uint8Array): void {
    this.receiver?.(bytes);
  }
  setUp(up: boolean): void {
    if (up === this.forcedUp) return;
    this.forcedUp = up;
    for (const l of this.listeners) l(up && this.inner.isUp);
  }
}

const ADDRESSES = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((a) => Ipv4Address.parse(a));
/** The second EtherType of the demux tests: IPv6 has a number on every link (PPP's is 0x0057). */
const IPV6 = EtherType.IPv6;

function payload(label: string, length = 120): Uint8Array {
  return testBytes(length, label);
}

interface Inbox {
  readonly got: { end: number; etherType: number; bytes: Uint8Array; info: LinkReceiveInfo }[];
}

function listen(harness: LinkHarness, etherTypes: readonly number[] = [EtherType.IPv4, IPV6]): Inbox {
  const inbox: Inbox = { got: [] };
  harness.ends.forEach((end, index) => {
    end.iface.setIpv4Addresses([ADDRESSES[index]!]);
    for (const etherType of etherTypes) {
      end.iface.registerProtocol(etherType, (packet, info) => inbox.got.push({ end: index, etherType, bytes: packet.toBytes(), info }));
    }
  });
  return inbox;
}

function linkCases(describeName: string, build: (ends: number) => LinkHarness | null, maxEnds: number): void {
  describe(describeName, () => {
    it('delivers to the protocol registered for each EtherType', () => {
      const h = build(2)!;
      const inbox = listen(h);
      const [a] = h.ends;
      a!.iface.send(Packet.from(payload('v4')), EtherType.IPv4, { kind: 'ipv4', nextHop: ADDRESSES[1]! });
      a!.iface.send(Packet.from(payload('v6')), IPV6, { kind: 'broadcast' });
      runUntil(h.world, () => inbox.got.length >= 2, '10s');
      // (The broadcast may overtake the unicast that waits for address resolution.)
      const byType = (etherType: number) => inbox.got.filter((g) => g.etherType === etherType);
      expect(inbox.got.length).toBe(2);
      expect(byType(EtherType.IPv4).map((g) => [g.end, g.bytes])).toEqual([[1, payload('v4')]]);
      expect(byType(IPV6).map((g) => [g.end, g.bytes])).toEqual([[1, payload('v6')]]);
      expect(inbox.got[0]!.info.iface).toBe(h.ends[1]!.iface);
    });

    it("resolves an 'ipv4' next hop and keeps delivering in order once resolved", () => {
      const h = build(2)!;
      const inbox = listen(h);
      const [a] = h.ends;
      a!.iface.send(Packet.from(payload('first')), EtherType.IPv4, { kind: 'ipv4', nextHop: ADDRESSES[1]! });
      runUntil(h.world, () => inbox.got.length >= 1, '10s');
      expect(inbox.got.map((g) => g.bytes)).toEqual([payload('first')]);
      for (let i = 0; i < 10; i++) a!.iface.send(Packet.from(payload(`p${i}`, 60 + i * 100)), EtherType.IPv4, { kind: 'ipv4', nextHop: ADDRESSES[1]! });
      runUntil(h.world, () => inbox.got.length >= 11, '10s');
      expect(inbox.got.slice(1).map((g) => g.bytes)).toEqual(Array.from({ length: 10 }, (_, i) => payload(`p${i}`, 60 + i * 100)));
      // The reply direction works too.
      h.ends[1]!.iface.send(Packet.from(payload('reply')), EtherType.IPv4, { kind: 'ipv4', nextHop: ADDRESSES[0]! });
      runUntil(h.world, () => inbox.got.length >= 12, '10s');
      expect(inbox.got[11]?.end).toBe(0);
      expect(inbox.got[11]?.bytes).toEqual(payload('reply'));
    });

    it('delivers a broadcast to every other interface and not to the sender', () => {
      const n = Math.min(3, maxEnds);
      const h = build(n)!;
      const inbox = listen(h);
      h.ends[0]!.iface.send(Packet.from(payload('all')), EtherType.IPv4, { kind: 'broadcast' });
      runUntil(h.world, () => inbox.got.length >= n - 1, '10s');
      h.world.sim.scheduler.runFor(1e9);
      expect(inbox.got.map((g) => g.end).sort()).toEqual(Array.from({ length: n - 1 }, (_, i) => i + 1));
      for (const g of inbox.got) expect(g.bytes).toEqual(payload('all'));
    });

    it.skipIf(maxEnds < 3, 'a point-to-point medium joins only two hosts')('does not deliver frames meant for another host', () => {
      const h = build(3)!;
      const inbox = listen(h);
      h.ends[0]!.iface.send(Packet.from(payload('to-c')), EtherType.IPv4, { kind: 'ipv4', nextHop: ADDRESSES[2]! });
      runUntil(h.world, () => inbox.got.length >= 1, '10s');
      const cMac = h.ends[2]!.iface.hardwareAddress;
      if (cMac !== null) h.ends[0]!.iface.send(Packet.from(payload('to-c-hw')), EtherType.IPv4, { kind: 'hardware', address: cMac });
      h.world.sim.scheduler.runFor(1e9);
      expect(inbox.got.every((g) => g.end === 2)).toBe(true);
      expect(inbox.got.length).toBe(cMac === null ? 1 : 2);
    });

    it('reports an MTU it carries: mtu bytes arrive whole, mtu + 1 do not and nothing throws', () => {
      const h = build(2)!;
      const inbox = listen(h);
      const mtu = h.ends[0]!.iface.mtu;
      expect(Number.isInteger(mtu)).toBe(true);
      expect(mtu).toBeGreaterThanOrEqual(68);
      const a = h.ends[0]!.iface;
      a.send(Packet.from(payload('full', mtu)), EtherType.IPv4, { kind: 'ipv4', nextHop: ADDRESSES[1]! });
      expect(() => a.send(Packet.from(payload('over', mtu + 1)), EtherType.IPv4, { kind: 'ipv4', nextHop: ADDRESSES[1]! })).not.toThrow();
      runUntil(h.world, () => inbox.got.length >= 1, '10s');
      h.world.sim.scheduler.runFor(1e9);
      expect(inbox.got.map((g) => g.bytes.length)).toEqual([mtu]);
      expect(inbox.got[0]!.bytes).toEqual(payload('full', mtu));
    });

    it('drops a corrupted frame with a drop event and never throws on garbage', () => {
      const h = build(2)!;
      const inbox = listen(h);
      const [a, b] = h.ends;
      a!.iface.send(Packet.from(payload('good', 200)), EtherType.IPv4, { kind: 'ipv4', nextHop: ADDRESSES[1]! });
      runUntil(h.world, () => inbox.got.length >= 1, '10s');
      expect(inbox.got.length).toBe(1);
      const original = a!.transmitted.at(-1)!;
      expect(original).toBeDefined();
      const corrupted = original.slice();
      corrupted[Math.floor(corrupted.length / 2)]! ^= 0x10;
      const dropsAt = (): number => h.world.events.filter((e) => e.kind === 'drop' && e.node === b!.node.name).length;
      const before = dropsAt();
      expect(() => b!.inject(corrupted)).not.toThrow();
      h.world.sim.scheduler.runFor(1e9);
      expect(inbox.got.length).toBe(1);
      expect(dropsAt()).toBeGreaterThan(before);
      const drop = h.world.events.filter((e) => e.kind === 'drop' && e.node === b!.node.name).at(-1)!;
      expect(['link', 'network-access', 'physical']).toContain(drop.role);
      // Truncations of a valid frame and seeded random garbage: dropped, never thrown.
      const random = new Random('garbage');
      expect(() => {
        for (let cut = 0; cut < original.length; cut += 7) b!.inject(original.slice(0, cut));
        for (let i = 0; i < 500; i++) b!.inject(random.bytes(random.int(0, 300)));
        h.world.sim.scheduler.runFor(1e9);
      }).not.toThrow();
      expect(inbox.got.length).toBe(1);
    });

    it('follows the medium: isUp and onStateChange, no delivery while down', () => {
      const h = build(2)!;
      const inbox = listen(h);
      const [a] = h.ends;
      const changes: boolean[] = [];
      a!.iface.onStateChange((up) => changes.push(up));
      expect(a!.iface.isUp).toBe(true);
      a!.setMediumUp(false);
      runUntil(h.world, () => changes.length >= 1, '10s');
      expect(a!.iface.isUp).toBe(false);
      expect(changes).toEqual([false]);
      expect(() => a!.iface.send(Packet.from(payload('while-down')), EtherType.IPv4, { kind: 'broadcast' })).not.toThrow();
      h.world.sim.scheduler.runFor(1e9);
      expect(inbox.got.length).toBe(0);
      a!.setMediumUp(true);
      runUntil(h.world, () => changes.length >= 2, '10s');
      expect(a!.iface.isUp).toBe(true);
      expect(changes).toEqual([false, true]);
      a!.iface.send(Packet.from(payload('after-up')), EtherType.IPv4, { kind: 'ipv4', nextHop: ADDRESSES[1]! });
      runUntil(h.world, () => inbox.got.length >= 1, '10s');
      expect(inbox.got.map((g) => g.bytes)).toEqual([payload('after-up')]);
    });

    it('counts frames and bytes in its stats', () => {
      const h = build(2)!;
      const inbox = listen(h);
      const [a, b] = h.ends;
      for (let i = 0; i < 3; i++) a!.iface.send(Packet.from(payload(`s${i}`)), EtherType.IPv4, { kind: 'ipv4', nextHop: ADDRESSES[1]! });
      runUntil(h.world, () => inbox.got.length >= 3, '10s');
      expect(a!.iface.stats.txFrames).toBeGreaterThanOrEqual(3);
      expect(a!.iface.stats.txBytes).toBeGreaterThanOrEqual(3 * 120);
      expect(b!.iface.stats.rxFrames).toBeGreaterThanOrEqual(3);
      expect(b!.iface.stats.rxBytes).toBeGreaterThanOrEqual(3 * 120);
    });
  });
}

/**
 * Run the link conformance suite against a link layer that sits on a PhyPort.
 * `factory(node, port, name)` builds one interface called `name` on `port`;
 * `mediumFactory` gives the medium (default: a shared FakeMedium at 100 Mbit/s).
 */
export function linkLayerSuite(
  name: string,
  factory: (node: NodeContext, port: PhyPort, name: string) => LinkInterface,
  mediumFactory: (sim: SimulationContext) => Medium = (sim) => new FakeMedium(sim.scheduler, { topology: 'shared' }),
): void {
  let maxEnds = 3;
  {
    const world = createWorld('probe');
    const medium = mediumFactory(world.sim);
    try {
      for (let i = 0; i < 3; i++) medium.attach(world.node(`probe${i}`), 'eth0');
    } catch {
      maxEnds = 2;
    }
  }
  linkCases(`${name}: link layer conformance`, (count) => {
    const world = createWorld();
    const medium = mediumFactory(world.sim);
    const ends: LinkEnd[] = [];
    for (let i = 0; i < count; i++) {
      const node = world.node(`h${i + 1}`);
      const port = new ControlledPort(medium.attach(node, 'eth0'));
      const iface = factory(node, port, 'eth0');
      ends.push({ node, iface, inject: (bytes) => port.inject(bytes), transmitted: port.transmitted, setMediumUp: (up) => port.setUp(up) });
    }
    return { world, ends };
  }, maxEnds);
}

/**
 * Run the link conformance suite against a module that owns its own wire (a point-to-point
 * network-access module): `factory(sim, nodeA, nodeB)` returns the two joined interfaces
 * and the hooks the suite needs.
 */
export function linkPairSuite(name: string, factory: (sim: SimulationContext, nodeA: NodeContext, nodeB: NodeContext) => LinkPair): void {
  linkCases(`${name}: link layer conformance (point-to-point)`, () => {
    const world = createWorld();
    const nodeA = world.node('h1');
    const nodeB = world.node('h2');
    const pair = factory(world.sim, nodeA, nodeB);
    const transmitted: Record<'a' | 'b', Uint8Array[]> = { a: [], b: [] };
    pair.onWire((from, bytes) => transmitted[from].push(bytes.slice()));
    const end = (side: 'a' | 'b', node: NodeContext, iface: LinkInterface): LinkEnd => ({
      node,
      iface,
      inject: (bytes) => pair.inject(side, bytes),
      transmitted: transmitted[side],
      setMediumUp: (up) => pair.setWireUp(up),
    });
    return { world, ends: [end('a', nodeA, pair.a), end('b', nodeB, pair.b)] };
  }, 2);
}
