// Address resolution for one Ethernet interface (RFC 826, "Packet Reception" and "Packet
// Generation"). Sending to an unresolved IPv4 next hop queues the packet (bounded, oldest
// dropped first, as Linux's unres_qlen) and broadcasts requests, retried at a fixed
// interval; when they all go unanswered the queued packets are dropped (arp-failed). A
// received ARP packet runs RFC 826's merge algorithm: update an entry we already have for
// the sender, add one when we are the target, and answer requests for our own addresses.
// Gratuitous ARP (a request with sender = target address, RFC 5227 section 3 "announcement")
// is sent when an address is assigned or the link comes up.

import {
  DropReason,
  EtherType,
  Ipv4Address,
  MacAddress,
  Packet,
  isWireError,
  type NodeContext,
} from '@netlayers/core';
import { ArpCache, type ArpSlot, type ResolvedArpOptions } from './arp-cache.ts';
import { ARP_PACKET_LENGTH, ArpOperation, arpHeaderInfo, arpSummary, emitArpPacket, isGratuitousArp, parseArpPacket, type ArpPacket } from './arp-packet.ts';

/** What the resolver needs from the interface it serves. */
export interface ArpHost {
  readonly node: NodeContext;
  readonly name: string;
  readonly hardwareAddress: MacAddress;
  /** The IPv4 addresses assigned to the interface, in assignment order. */
  ownAddresses(): readonly Ipv4Address[];
  ownsAddress(address: Ipv4Address): boolean;
  /** Frame and transmit an ARP packet (`operation` says which, for the interface's counters). */
  transmitArp(packet: Packet, destination: MacAddress, operation: ArpOperation): void;
  /** Frame and transmit a packet whose next hop is now resolved. */
  transmitResolved(packet: Packet, etherType: number, destination: MacAddress): void;
  /** Count and trace a drop at this interface. */
  drop(protocol: string, reason: DropReason, detail: string, length: number): void;
}

const RETRY_TIMER = 'ARP-retry';

export class ArpResolver {
  readonly cache: ArpCache;

  constructor(
    private readonly host: ArpHost,
    private readonly options: ResolvedArpOptions,
  ) {
    this.cache = new ArpCache(host.node, host.name, options.entryTimeout);
  }

  /** Send `packet` to `nextHop` once its hardware address is known. */
  resolve(nextHop: Ipv4Address, packet: Packet, etherType: number): void {
    let slot = this.cache.slot(nextHop);
    if (slot !== undefined && slot.state === 'REACHABLE') {
      if (slot.expiresAt !== null && this.host.node.scheduler.now() < slot.expiresAt) {
        this.host.transmitResolved(packet, etherType, slot.mac!);
        return;
      }
      // Expired at this very instant, before its timer ran: resolve afresh.
      this.cache.remove(slot, 'EXPIRED', 'timed out');
      slot = undefined;
    }
    if (slot === undefined) {
      slot = this.cache.createIncomplete(nextHop, 'send to unresolved next hop');
      this.enqueue(slot, packet, etherType);
      this.sendRequest(slot);
      return;
    }
    this.enqueue(slot, packet, etherType);
  }

  /** Handle the payload of a received ARP frame. */
  receive(bytes: Uint8Array): void {
    const arp = parseArpPacket(bytes);
    if (isWireError(arp)) {
      this.host.drop('arp', arp.reason, arp.detail, bytes.length);
      return;
    }
    this.tracePdu(arp, 'up');
    const own = this.host.hardwareAddress;
    if (arp.senderHardware.isMulticast) {
      this.host.drop('arp', DropReason.Malformed, `sender hardware address ${arp.senderHardware} is a group address`, bytes.length);
      return;
    }
    if (arp.senderHardware.equals(own)) return; // our own packet, reflected back
    if (this.host.ownsAddress(arp.senderProtocol)) {
      this.note(arp.senderProtocol, `address conflict: ${arp.senderProtocol} is ours but ${arp.senderHardware} claims it`);
      return;
    }
    const senderKnown = !arp.senderProtocol.isUnspecified; // 0.0.0.0: an RFC 5227 probe
    const cause = isGratuitousArp(arp) ? 'rcv gratuitous ARP' : arp.operation === ArpOperation.Request ? 'rcv ARP request' : 'rcv ARP reply';
    // RFC 826: "If the pair <protocol type, sender protocol address> is already in my
    // translation table, update the sender hardware address field ... Merge_flag := true."
    let merged = false;
    if (senderKnown && this.cache.slot(arp.senderProtocol) !== undefined) {
      this.learn(arp.senderProtocol, arp.senderHardware, cause);
      merged = true;
    }
    // "?Am I the target protocol address?"
    if (!this.host.ownsAddress(arp.targetProtocol)) return;
    if (!merged && senderKnown) this.learn(arp.senderProtocol, arp.senderHardware, cause);
    if (arp.operation === ArpOperation.Request) {
      this.sendArp(
        {
          operation: ArpOperation.Reply,
          senderHardware: own,
          senderProtocol: arp.targetProtocol,
          targetHardware: arp.senderHardware,
          targetProtocol: arp.senderProtocol,
        },
        arp.senderHardware,
      );
    }
  }

  /** Broadcast a gratuitous ARP request announcing `address`. */
  announce(address: Ipv4Address): void {
    this.sendArp(
      {
        operation: ArpOperation.Request,
        senderHardware: this.host.hardwareAddress,
        senderProtocol: address,
        targetHardware: MacAddress.ZERO,
        targetProtocol: address,
      },
      MacAddress.BROADCAST,
    );
  }

  /** Forget everything (the link went down): queued packets are dropped. */
  flush(cause: string): void {
    for (const slot of this.cache.allSlots()) {
      this.dropQueue(slot, DropReason.InterfaceDown, `${this.host.name} went down while resolving ${slot.address}`);
      this.cancelRetry(slot);
      this.cache.remove(slot, 'FLUSHED', cause);
    }
  }

  private learn(address: Ipv4Address, mac: MacAddress, cause: string): void {
    const slot = this.cache.confirm(address, mac, cause);
    this.cancelRetry(slot);
    const waiting = slot.queue.splice(0);
    for (const q of waiting) this.host.transmitResolved(q.packet, q.etherType, mac);
  }

  private enqueue(slot: ArpSlot, packet: Packet, etherType: number): void {
    const limit = this.options.queueLength;
    if (limit === 0) {
      this.host.drop('arp', DropReason.QueueFull, `no queue for unresolved ${slot.address} (queueLength 0)`, packet.length);
      return;
    }
    if (slot.queue.length >= limit) {
      const oldest = slot.queue.shift()!;
      this.host.drop('arp', DropReason.QueueFull, `ARP queue for ${slot.address} is full (${limit} packets): dropped the oldest`, oldest.packet.length);
    }
    slot.queue.push({ packet, etherType });
  }

  private sendRequest(slot: ArpSlot): void {
    slot.requestsSent++;
    this.sendArp(
      {
        operation: ArpOperation.Request,
        senderHardware: this.host.hardwareAddress,
        senderProtocol: this.requestSource(slot),
        targetHardware: MacAddress.ZERO,
        targetProtocol: slot.address,
      },
      MacAddress.BROADCAST,
    );
    const interval = this.options.retryInterval;
    slot.retryTimer = this.host.node.scheduler.schedule(interval, () => this.retryFired(slot));
    this.traceTimer(slot, 'set', interval);
  }

  private retryFired(slot: ArpSlot): void {
    slot.retryTimer = null;
    if (slot.removed) return;
    this.traceTimer(slot, 'fired');
    if (slot.requestsSent < this.options.retries) {
      this.sendRequest(slot);
      return;
    }
    const detail = `no ARP reply from ${slot.address} after ${slot.requestsSent} request${slot.requestsSent === 1 ? '' : 's'}`;
    this.dropQueue(slot, DropReason.ArpFailed, detail);
    this.cache.remove(slot, 'FAILED', detail);
  }

  private cancelRetry(slot: ArpSlot): void {
    if (slot.retryTimer === null) return;
    slot.retryTimer.cancel();
    slot.retryTimer = null;
    this.traceTimer(slot, 'cancelled');
  }

  private dropQueue(slot: ArpSlot, reason: DropReason, detail: string): void {
    for (const q of slot.queue.splice(0)) this.host.drop('arp', reason, detail, q.packet.length);
  }

  /**
   * The sender protocol address of a request: the source of the IPv4 packet that caused
   * it when that is one of ours (as Linux does by default), else our first address, else
   * 0.0.0.0.
   */
  private requestSource(slot: ArpSlot): Ipv4Address {
    const first = slot.queue[0];
    if (first !== undefined && first.etherType === EtherType.IPv4 && first.packet.length >= 20) {
      const source = Ipv4Address.fromBytes(first.packet.bytes, 12);
      if (this.host.ownsAddress(source)) return source;
    }
    return this.host.ownAddresses()[0] ?? Ipv4Address.ANY;
  }

  private sendArp(arp: ArpPacket, destination: MacAddress): void {
    const packet = Packet.alloc(ARP_PACKET_LENGTH);
    emitArpPacket(arp, packet.bytes);
    this.tracePdu(arp, 'down');
    this.host.transmitArp(packet, destination, arp.operation);
  }

  private tracePdu(arp: ArpPacket, direction: 'up' | 'down'): void {
    const tracer = this.host.node.tracer;
    if (!tracer.active) return;
    tracer.emit({
      kind: 'pdu',
      role: 'link',
      protocol: 'arp',
      iface: this.host.name,
      direction,
      length: ARP_PACKET_LENGTH,
      headerLength: ARP_PACKET_LENGTH,
      text: arpSummary(arp),
      header: arpHeaderInfo(arp),
    });
  }

  private traceTimer(slot: ArpSlot, action: 'set' | 'fired' | 'cancelled', duration?: number): void {
    const tracer = this.host.node.tracer;
    if (!tracer.active) return;
    tracer.emit({
      kind: 'timer',
      role: 'link',
      protocol: 'arp',
      iface: this.host.name,
      action,
      timer: RETRY_TIMER,
      entity: slot.address.toString(),
      ...(duration === undefined ? {} : { duration }),
    });
  }

  private note(address: Ipv4Address, message: string): void {
    const tracer = this.host.node.tracer;
    if (!tracer.active) return;
    tracer.emit({ kind: 'note', role: 'link', protocol: 'arp', iface: this.host.name, entity: address.toString(), message });
  }
}
