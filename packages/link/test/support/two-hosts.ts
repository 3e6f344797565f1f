// Two EthernetInterfaces ("h1" 10.0.0.1 and "h2" 10.0.0.2) on a fake wire with a 10 µs
// delay, with every frame each side transmits timestamped, and helpers to read frames back.

import { Ipv4Address, MacAddress, Packet, isWireError, type LinkReceiveInfo, type TraceEvent } from '@netlayers/core';
import { EthernetInterface, type EthernetInterfaceOptions } from '../../src/ethernet-interface.ts';
import { parseEthernetFrame, type EthernetFrame } from '../../src/ethernet.ts';
import { parseArpPacket, type ArpPacket } from '../../src/arp-packet.ts';
import type { ArpOptions } from '../../src/arp-cache.ts';
import { createWorld, joinedRecordingPorts, type RecordingPhyPort } from '@netlayers/testing';

export const MAC_A = MacAddress.parse('02:00:00:00:00:01');
export const MAC_B = MacAddress.parse('02:00:00:00:00:02');
export const MAC_C = MacAddress.parse('02:00:00:00:00:03');
export const IP_A = Ipv4Address.parse('10.0.0.1');
export const IP_B = Ipv4Address.parse('10.0.0.2');
export const IP_C = Ipv4Address.parse('10.0.0.3');
export const WIRE_DELAY = 10_000; // 10 µs

export interface SentFrame {
  readonly time: number;
  readonly bytes: Uint8Array;
}

export interface Delivered {
  readonly time: number;
  readonly payload: Uint8Array;
  readonly info: LinkReceiveInfo;
}

export function frameOf(bytes: Uint8Array): EthernetFrame {
  const frame = parseEthernetFrame(bytes);
  if (isWireError(frame)) throw new Error(`not a frame: ${frame.detail}`);
  return frame;
}

export function arpOf(bytes: Uint8Array): ArpPacket {
  const arp = parseArpPacket(frameOf(bytes).payload);
  if (isWireError(arp)) throw new Error(`not ARP: ${arp.detail}`);
  return arp;
}

export function isArpFrame(bytes: Uint8Array): boolean {
  return frameOf(bytes).etherType === 0x0806;
}

/** A 20-byte stand-in for an IPv4 header (source at offset 12) followed by `text`. */
export function ipv4Like(source: Ipv4Address, text: string): Packet {
  const body = new TextEncoder().encode(text);
  const packet = Packet.alloc(20 + body.length);
  packet.bytes[0] = 0x45;
  source.writeTo(packet.bytes, 12);
  packet.bytes.set(body, 20);
  return packet;
}

export function textOf(payload: Uint8Array, skip = 20): string {
  return new TextDecoder().decode(payload.subarray(skip)).replace(/\0+$/, '');
}

export function twoHosts(options: { arpA?: ArpOptions; arpB?: ArpOptions; a?: Partial<EthernetInterfaceOptions>; b?: Partial<EthernetInterfaceOptions> } = {}) {
  const { sim, node, events } = createWorld();
  const [portA, portB] = joinedRecordingPorts(sim.scheduler, WIRE_DELAY, ['h1:eth0', 'h2:eth0']);
  const a = new EthernetInterface(node('h1'), portA, { name: 'eth0', mac: MAC_A, arp: options.arpA, ...options.a });
  const b = new EthernetInterface(node('h2'), portB, { name: 'eth0', mac: MAC_B, arp: options.arpB, ...options.b });
  const sentA = recordSent(portA, () => sim.scheduler.now());
  const sentB = recordSent(portB, () => sim.scheduler.now());
  const deliveredA: Delivered[] = [];
  const deliveredB: Delivered[] = [];
  a.registerProtocol(0x0800, (p, info) => deliveredA.push({ time: sim.scheduler.now(), payload: p.toBytes(), info }));
  b.registerProtocol(0x0800, (p, info) => deliveredB.push({ time: sim.scheduler.now(), payload: p.toBytes(), info }));
  return { sim, scheduler: sim.scheduler, events, a, b, portA, portB, sentA, sentB, deliveredA, deliveredB };
}

/** Timestamp every frame the port transmits (keeps the port's own onTransmit running). */
export function recordSent(port: RecordingPhyPort, now: () => number): SentFrame[] {
  const sent: SentFrame[] = [];
  const inner = port.onTransmit;
  port.onTransmit = (frame) => {
    sent.push({ time: now(), bytes: frame });
    inner?.(frame);
  };
  return sent;
}

export function ofKind<K extends TraceEvent['kind']>(events: TraceEvent[], kind: K, node?: string): Extract<TraceEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind && (node === undefined || e.node === node));
}
