import { describe, expect, it } from 'vitest';
import { DropReason, InvalidAddressError, InvalidArgumentError, Ipv4Address, MacAddress, Packet, type LinkReceiveInfo } from '@netlayers/core';
import { EthernetInterface, ipv4MulticastMac } from '../src/ethernet-interface.ts';
import { buildEthernetFrame } from '../src/ethernet.ts';
import { RecordingPhyPort, createWorld } from '@netlayers/testing';
import { MAC_A, MAC_B, MAC_C, frameOf, ofKind } from './support/two-hosts.ts';

function nic(options: { promiscuous?: boolean; vlan?: number; mac?: MacAddress | undefined; seed?: string } = {}) {
  const { node, events } = createWorld(options.seed ?? 1);
  const port = new RecordingPhyPort('h1:eth0');
  const ctx = node('h1');
  const iface = new EthernetInterface(ctx, port, { name: 'eth0', mac: 'mac' in options ? options.mac : MAC_A, promiscuous: options.promiscuous, vlan: options.vlan });
  const received: { etherType: number; text: string; info: LinkReceiveInfo }[] = [];
  for (const etherType of [0x0800, 0x86dd]) {
    iface.registerProtocol(etherType, (p, info) => received.push({ etherType, text: new TextDecoder().decode(p.bytes).replace(/\0+$/, ''), info }));
  }
  return { iface, port, events, received, ctx };
}

const payload = (text: string) => new TextEncoder().encode(text);
const frameTo = (destination: MacAddress, etherType = 0x0800, text = 'data', vlan?: number) =>
  buildEthernetFrame({ destination, source: MAC_B, etherType, ...(vlan === undefined ? {} : { vlan: { pcp: 0, dei: false, vid: vlan } }) }, payload(text));

describe('receive filtering (the NIC address filter)', () => {
  it('accepts frames to its own address and hands up the payload with who sent it', () => {
    const { iface, port, received } = nic();
    port.deliver(frameTo(MAC_A, 0x0800, 'hello'));
    expect(received).toHaveLength(1);
    expect(received[0]!.text).toBe('hello');
    expect(received[0]!.info.source!.equals(MAC_B)).toBe(true);
    expect(received[0]!.info.destination!.equals(MAC_A)).toBe(true);
    expect(received[0]!.info.broadcast).toBe(false);
    expect(received[0]!.info.iface).toBe(iface);
    expect(iface.stats.rxFrames).toBe(1);
    expect(iface.stats.rxBytes).toBe(64);
  });

  it('accepts broadcast and multicast, marked as such', () => {
    const { port, received } = nic();
    port.deliver(frameTo(MacAddress.BROADCAST, 0x0800, 'bcast'));
    port.deliver(frameTo(MacAddress.parse('01:00:5e:00:00:fb'), 0x0800, 'mcast'));
    expect(received.map((r) => [r.text, r.info.broadcast])).toEqual([
      ['bcast', true],
      ['mcast', true],
    ]);
  });

  it('drops unicast for another station as not-for-us', () => {
    const { iface, port, received, events } = nic();
    port.deliver(frameTo(MAC_C));
    expect(received).toEqual([]);
    const drops = ofKind(events, 'drop');
    expect(drops.map((d) => [d.role, d.protocol, d.reason, d.iface, d.length])).toEqual([['link', 'ethernet', DropReason.NotForUs, 'eth0', 64]]);
    expect(drops[0]!.detail).toBe('destination 02:00:00:00:00:03 is not 02:00:00:00:00:01');
    expect(iface.stats.drops).toBe(1);
    expect(iface.stats.rxFrames).toBe(0);
  });

  it('in promiscuous mode accepts unicast for anyone; the mode can be switched at run time', () => {
    const { iface, port, received } = nic({ promiscuous: true });
    port.deliver(frameTo(MAC_C, 0x0800, 'sniffed'));
    expect(received.map((r) => r.text)).toEqual(['sniffed']);
    expect(received[0]!.info.destination!.equals(MAC_C)).toBe(true);
    iface.promiscuous = false;
    port.deliver(frameTo(MAC_C, 0x0800, 'ignored'));
    expect(received).toHaveLength(1);
  });

  it('drops a frame with a bad FCS and a runt, with their wire reasons', () => {
    const { port, received, events, ctx } = nic();
    const bad = frameTo(MAC_A);
    bad[20]! ^= 0x80;
    port.deliver(bad);
    port.deliver(frameTo(MAC_A).subarray(0, 60));
    expect(received).toEqual([]);
    expect(ofKind(events, 'drop').map((d) => d.reason)).toEqual([DropReason.BadFcs, DropReason.Truncated]);
    expect(ctx.counters.get('drop.link.bad-fcs')).toBe(1);
    expect(ctx.counters.get('drop.link.truncated')).toBe(1);
  });

  it('drops an EtherType nobody registered, and an 802.3 length frame, as unknown-protocol', () => {
    const { port, events } = nic();
    port.deliver(frameTo(MAC_A, 0x88cc));
    const llc = frameTo(MAC_A, 0x0800);
    llc[12] = 0x00;
    llc[13] = 0x2e; // type field 46: an 802.3 length (LLC frame)
    port.deliver(fixFcs(llc));
    const drops = ofKind(events, 'drop');
    expect(drops.map((d) => d.reason)).toEqual([DropReason.UnknownProtocol, DropReason.UnknownProtocol]);
    expect(drops[0]!.detail).toBe('no protocol registered for ethertype 0x88cc');
    expect(drops[1]!.detail).toMatch(/802\.3 length field \(46\)/);
  });

  it('dispatches by EtherType to the registered handler', () => {
    const { port, received } = nic();
    port.deliver(frameTo(MAC_A, 0x86dd, 'six'));
    port.deliver(frameTo(MAC_A, 0x0800, 'four'));
    expect(received.map((r) => [r.etherType, r.text])).toEqual([
      [0x86dd, 'six'],
      [0x0800, 'four'],
    ]);
  });
});

describe('802.1Q VLANs', () => {
  it('an interface on VLAN 10 tags what it sends', () => {
    const { iface, port } = nic({ vlan: 10 });
    iface.send(Packet.from('tagged'), 0x0800, { kind: 'hardware', address: MAC_B });
    const frame = port.sent[0]!;
    expect(Buffer.from(frame.subarray(12, 18)).toString('hex')).toBe('8100000a0800');
    expect(frameOf(frame).vlan).toEqual({ pcp: 0, dei: false, vid: 10 });
    expect(frame.length).toBe(64);
  });

  it('an interface on VLAN 10 accepts only VLAN 10', () => {
    const { port, received, events } = nic({ vlan: 10 });
    port.deliver(frameTo(MAC_A, 0x0800, 'ten', 10));
    port.deliver(frameTo(MAC_A, 0x0800, 'twenty', 20));
    port.deliver(frameTo(MAC_A, 0x0800, 'untagged'));
    expect(received.map((r) => r.text)).toEqual(['ten']);
    expect(ofKind(events, 'drop').map((d) => [d.reason, d.detail])).toEqual([
      [DropReason.Filtered, 'eth0 is on VLAN 10; frame is on VLAN 20'],
      [DropReason.Filtered, 'eth0 is on VLAN 10; frame is untagged'],
    ]);
  });

  it('an untagged interface drops tagged frames but accepts priority tags (VID 0)', () => {
    const { port, received, events } = nic();
    port.deliver(frameTo(MAC_A, 0x0800, 'vlan20', 20));
    port.deliver(frameTo(MAC_A, 0x0800, 'priority', 0));
    expect(received.map((r) => r.text)).toEqual(['priority']);
    expect(ofKind(events, 'drop').map((d) => d.detail)).toEqual(['802.1Q VLAN 20 is not configured on eth0']);
  });

  it('the MTU leaves room for the tag within the port\'s largest frame', () => {
    expect(nic().iface.mtu).toBe(1500);
    expect(nic({ vlan: 10 }).iface.mtu).toBe(1496);
  });
});

describe('send', () => {
  it('sends to a hardware address, to broadcast, and maps IPv4 broadcast and multicast without ARP', () => {
    const { iface, port } = nic();
    iface.send(Packet.from('a'), 0x0800, { kind: 'hardware', address: MAC_B });
    iface.send(Packet.from('b'), 0x0800, { kind: 'broadcast' });
    iface.send(Packet.from('c'), 0x0800, { kind: 'ipv4', nextHop: Ipv4Address.BROADCAST });
    iface.send(Packet.from('d'), 0x0800, { kind: 'ipv4', nextHop: Ipv4Address.parse('224.0.0.251') });
    iface.send(Packet.from('e'), 0x0800, { kind: 'ipv4', nextHop: Ipv4Address.parse('239.255.128.1') });
    expect(port.sent.map((f) => [frameOf(f).destination.toString(), frameOf(f).source.toString(), frameOf(f).etherType])).toEqual([
      ['02:00:00:00:00:02', '02:00:00:00:00:01', 0x0800],
      ['ff:ff:ff:ff:ff:ff', '02:00:00:00:00:01', 0x0800],
      ['ff:ff:ff:ff:ff:ff', '02:00:00:00:00:01', 0x0800],
      ['01:00:5e:00:00:fb', '02:00:00:00:00:01', 0x0800],
      ['01:00:5e:7f:80:01', '02:00:00:00:00:01', 0x0800], // RFC 1112: only the low 23 bits
    ]);
    expect(iface.stats.txFrames).toBe(5);
    expect(iface.stats.txBytes).toBe(5 * 64);
  });

  it('sends a packet of exactly the MTU and drops one byte more as too-big', () => {
    const { iface, port, events } = nic();
    iface.send(Packet.alloc(1500), 0x0800, { kind: 'hardware', address: MAC_B });
    iface.send(Packet.alloc(1501), 0x0800, { kind: 'hardware', address: MAC_B });
    expect(port.sent.map((f) => f.length)).toEqual([1518]);
    expect(ofKind(events, 'drop').map((d) => [d.reason, d.detail])).toEqual([[DropReason.TooBig, '1501 bytes exceed the MTU of eth0 (1500)']]);
  });

  it('drops with interface-down while the port is down, and follows the port back up', () => {
    const { iface, port, events } = nic();
    const changes: boolean[] = [];
    iface.onStateChange((up) => changes.push(up));
    port.setUp(false);
    expect(iface.isUp).toBe(false);
    iface.send(Packet.from('x'), 0x0800, { kind: 'broadcast' });
    expect(port.sent).toEqual([]);
    expect(ofKind(events, 'drop').map((d) => d.reason)).toEqual([DropReason.InterfaceDown]);
    port.setUp(true);
    expect(iface.isUp).toBe(true);
    expect(changes).toEqual([false, true]);
    expect(ofKind(events, 'state').map((e) => [e.entity, e.from, e.to])).toEqual([
      ['eth0', 'UP', 'DOWN'],
      ['eth0', 'DOWN', 'UP'],
    ]);
  });

  it('counts a frame the port refuses as a drop, not as sent', () => {
    const { iface, port } = nic();
    port.transmit = () => false; // e.g. its queue is full
    iface.send(Packet.from('x'), 0x0800, { kind: 'broadcast' });
    expect(iface.stats.txFrames).toBe(0);
    expect(iface.stats.drops).toBe(1);
  });
});

describe('Ethernet trace events', () => {
  it('traces a sent frame (down) and a received one (up) like tcpdump -e', () => {
    const { iface, port, events } = nic();
    iface.send(Packet.from('x'), 0x0806, { kind: 'broadcast' });
    port.deliver(frameTo(MAC_A, 0x0800, 'in', 7));
    const pdus = ofKind(events, 'pdu').filter((e) => e.protocol === 'ethernet');
    expect(pdus.map((e) => [e.direction, e.role, e.iface, e.text, e.length, e.headerLength])).toEqual([
      ['down', 'link', 'eth0', '02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 60', 64, 14],
      ['up', 'link', 'eth0', '02:00:00:00:00:02 > 02:00:00:00:00:01, ethertype 802.1Q (0x8100), length 60: vlan 7, p 0, ethertype IPv4 (0x0800)', 64, 18],
    ]);
    expect(pdus[0]!.header).toEqual({ protocol: 'ethernet', source: '02:00:00:00:00:01', destination: 'ff:ff:ff:ff:ff:ff', etherType: 0x0806, length: 60 });
    expect(pdus[1]!.header).toEqual({ protocol: 'ethernet', source: '02:00:00:00:00:02', destination: '02:00:00:00:00:01', etherType: 0x0800, length: 60, vlan: 7 });
  });
});

describe('construction and arguments', () => {
  it('draws a deterministic locally administered unicast MAC from the node\'s random stream', () => {
    const first = nic({ mac: undefined, seed: 'lab' }).iface.hardwareAddress;
    const again = nic({ mac: undefined, seed: 'lab' }).iface.hardwareAddress;
    const other = nic({ mac: undefined, seed: 'other' }).iface.hardwareAddress;
    expect(first.equals(again)).toBe(true);
    expect(first.equals(other)).toBe(false);
    expect(first.bytes()[0]! & 0x03).toBe(0x02);
  });

  it('rejects bad options, naming the bad value', () => {
    const { ctx } = nic();
    expect(() => new EthernetInterface(ctx, new RecordingPhyPort('p'), { name: '' })).toThrow(InvalidArgumentError);
    expect(() => new EthernetInterface(ctx, new RecordingPhyPort('p'), { name: 'eth1', vlan: 4095 })).toThrow(/vlan 4095/);
    expect(() => new EthernetInterface(ctx, new RecordingPhyPort('p'), { name: 'eth1', mac: MacAddress.parse('01:00:5e:00:00:01') })).toThrow(InvalidAddressError);
    expect(() => new EthernetInterface(ctx, new RecordingPhyPort('p'), { name: 'eth1', arp: { retries: 0 } })).toThrow(/arp\.retries 0/);
  });

  it('rejects registering ARP or a length value as an EtherType, and sending with one', () => {
    const { iface } = nic();
    expect(() => iface.registerProtocol(0x0806, () => {})).toThrow(/etherType 2054/);
    expect(() => iface.registerProtocol(1500, () => {})).toThrow(InvalidArgumentError);
    expect(() => iface.send(Packet.from('x'), 0x05dc, { kind: 'broadcast' })).toThrow(/etherType 1500/);
  });

  it('maps IPv4 multicast groups per RFC 1112', () => {
    expect(ipv4MulticastMac(Ipv4Address.parse('224.0.0.1')).toString()).toBe('01:00:5e:00:00:01');
    expect(ipv4MulticastMac(Ipv4Address.parse('224.128.0.1')).toString()).toBe('01:00:5e:00:00:01');
  });
});

/** Recompute the FCS of a frame whose bytes were edited. */
function fixFcs(frame: Uint8Array): Uint8Array {
  const body = frame.subarray(0, frame.length - 4);
  let crc = 0xffffffff;
  for (const byte of body) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  crc = (crc ^ 0xffffffff) >>> 0;
  const out = frame.slice();
  out.set([crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24], frame.length - 4);
  return out;
}
