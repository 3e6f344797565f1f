// The ARP cache of one interface (RFC 826 "translation table"; entry timeout per RFC 1122
// section 2.3.2.1). An entry is INCOMPLETE while a request is outstanding (packets wait in
// its bounded queue), REACHABLE once a hardware address is known, and is removed when it
// expires (state EXPIRED) or resolution fails (state FAILED). Every change is traced as a
// `state` event so a student can watch the table fill and empty.

import {
  InvalidArgumentError,
  parseDuration,
  type Ipv4Address,
  type MacAddress,
  type Nanoseconds,
  type NodeContext,
  type Packet,
  type TimerHandle,
} from '@netlayers/core';

export type ArpEntryState = 'INCOMPLETE' | 'REACHABLE';

/** What a removed entry is shown as in traces: gone after a timeout or after failed resolution. */
export type ArpRemovedState = 'EXPIRED' | 'FAILED' | 'FLUSHED';

/** One cache entry as `arpCache.entries()` shows it. */
export interface ArpCacheEntry {
  readonly address: Ipv4Address;
  /** Null while INCOMPLETE. */
  readonly mac: MacAddress | null;
  readonly state: ArpEntryState;
  /** When a REACHABLE entry expires (virtual ns); null while INCOMPLETE. */
  readonly expiresAt: Nanoseconds | null;
  /** Packets waiting for resolution. */
  readonly queued: number;
}

/** The read-only face of the cache that an interface exposes. */
export interface ArpCacheView {
  entries(): ArpCacheEntry[];
  lookup(address: Ipv4Address): ArpCacheEntry | undefined;
  readonly size: number;
}

export interface ArpOptions {
  /** How long a REACHABLE entry lives after it was last confirmed (default '60s'). */
  entryTimeout?: string | number;
  /** Requests sent before giving up (default 3). */
  retries?: number;
  /** Time between requests, and after the last one before failing (default '1s'). */
  retryInterval?: string | number;
  /** Packets held per unresolved address; more drop the oldest (default 3, as Linux's unres_qlen). */
  queueLength?: number;
}

export interface ResolvedArpOptions {
  readonly entryTimeout: Nanoseconds;
  readonly retries: number;
  readonly retryInterval: Nanoseconds;
  readonly queueLength: number;
}

/** Apply defaults and validate; throws InvalidArgumentError / InvalidUnitError naming the bad value. */
export function resolveArpOptions(options: ArpOptions = {}): ResolvedArpOptions {
  const entryTimeout = parseDuration(options.entryTimeout ?? '60s');
  if (entryTimeout <= 0) throw new InvalidArgumentError('arp.entryTimeout', options.entryTimeout, 'must be longer than zero');
  const retryInterval = parseDuration(options.retryInterval ?? '1s');
  if (retryInterval <= 0) throw new InvalidArgumentError('arp.retryInterval', options.retryInterval, 'must be longer than zero');
  const retries = options.retries ?? 3;
  if (!Number.isInteger(retries) || retries < 1 || retries > 1000) {
    throw new InvalidArgumentError('arp.retries', retries, 'must be an integer from 1 to 1000');
  }
  const queueLength = options.queueLength ?? 3;
  if (!Number.isInteger(queueLength) || queueLength < 0 || queueLength > 100_000) {
    throw new InvalidArgumentError('arp.queueLength', queueLength, 'must be an integer from 0 to 100000');
  }
  return { entryTimeout, retries, retryInterval, queueLength };
}

export interface QueuedPacket {
  readonly packet: Packet;
  readonly etherType: number;
}

/** The cache's own mutable record of one entry. */
export interface ArpSlot {
  readonly address: Ipv4Address;
  mac: MacAddress | null;
  state: ArpEntryState;
  expiresAt: Nanoseconds | null;
  readonly queue: QueuedPacket[];
  requestsSent: number;
  retryTimer: TimerHandle | null;
  expiryTimer: TimerHandle | null;
  removed: boolean;
}

export class ArpCache implements ArpCacheView {
  private readonly slots = new Map<number, ArpSlot>();

  constructor(
    private readonly node: NodeContext,
    private readonly iface: string,
    private readonly entryTimeout: Nanoseconds,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  entries(): ArpCacheEntry[] {
    return [...this.slots.values()].sort((a, b) => a.address.value - b.address.value).map(toEntry);
  }

  lookup(address: Ipv4Address): ArpCacheEntry | undefined {
    const slot = this.slots.get(address.value);
    return slot === undefined ? undefined : toEntry(slot);
  }

  /** @internal The live record, for the resolver. */
  slot(address: Ipv4Address): ArpSlot | undefined {
    return this.slots.get(address.value);
  }

  /** @internal All live records (a copy, safe to remove from while iterating). */
  allSlots(): ArpSlot[] {
    return [...this.slots.values()];
  }

  /** @internal A new INCOMPLETE entry for an address being resolved. */
  createIncomplete(address: Ipv4Address, cause: string): ArpSlot {
    return this.createSlot(address, 'INCOMPLETE', cause);
  }

  /**
   * @internal Record `mac` for `address` (adding the entry if needed) and (re)start its
   * timeout. Returns the slot; the caller sends whatever was queued.
   */
  confirm(address: Ipv4Address, mac: MacAddress, cause: string): ArpSlot {
    const existing = this.slots.get(address.value);
    const slot = existing ?? this.createReachable(address, cause);
    const previousMac = slot.mac;
    slot.mac = mac;
    slot.expiresAt = this.node.scheduler.now() + this.entryTimeout;
    if (slot.state === 'INCOMPLETE') {
      slot.state = 'REACHABLE';
      this.traceState(address, 'INCOMPLETE', 'REACHABLE', cause);
    }
    if (previousMac === null || !previousMac.equals(mac)) {
      this.note(address, previousMac === null ? `ARP cache: ${address} is-at ${mac}` : `ARP cache: ${address} moved from ${previousMac} to ${mac}`);
    }
    if (slot.expiryTimer === null) this.armExpiry(slot);
    return slot;
  }

  /** @internal Remove an entry, shown as `to` in the trace. The caller empties its queue first. */
  remove(slot: ArpSlot, to: ArpRemovedState, cause: string): void {
    if (slot.removed) return;
    slot.removed = true;
    slot.retryTimer?.cancel();
    slot.retryTimer = null;
    slot.expiryTimer?.cancel();
    slot.expiryTimer = null;
    this.slots.delete(slot.address.value);
    this.traceState(slot.address, slot.state, to, cause);
  }

  private createReachable(address: Ipv4Address, cause: string): ArpSlot {
    return this.createSlot(address, 'REACHABLE', cause);
  }

  private createSlot(address: Ipv4Address, state: ArpSlot['state'], cause: string): ArpSlot {
    const slot: ArpSlot = {
      address,
      mac: null,
      state,
      expiresAt: null,
      queue: [],
      requestsSent: 0,
      retryTimer: null,
      expiryTimer: null,
      removed: false,
    };
    this.slots.set(address.value, slot);
    this.traceState(address, 'NONE', state, cause);
    return slot;
  }

  /** One timer per entry; a refresh only moves `expiresAt`, and the timer re-arms itself lazily. */
  private armExpiry(slot: ArpSlot): void {
    const at = slot.expiresAt!;
    slot.expiryTimer = this.node.scheduler.scheduleAt(at, () => {
      slot.expiryTimer = null;
      if (slot.removed || slot.expiresAt === null) return;
      if (this.node.scheduler.now() < slot.expiresAt) {
        this.armExpiry(slot);
        return;
      }
      this.remove(slot, 'EXPIRED', `no confirmation for ${this.entryTimeout / 1e9} s`);
    });
  }

  private traceState(address: Ipv4Address, from: string, to: string, cause: string): void {
    const tracer = this.node.tracer;
    if (!tracer.active) return;
    tracer.emit({ kind: 'state', role: 'link', protocol: 'arp', iface: this.iface, entity: address.toString(), from, to, cause });
  }

  private note(address: Ipv4Address, message: string): void {
    const tracer = this.node.tracer;
    if (!tracer.active) return;
    tracer.emit({ kind: 'note', role: 'link', protocol: 'arp', iface: this.iface, entity: address.toString(), message });
  }
}

function toEntry(slot: ArpSlot): ArpCacheEntry {
  return { address: slot.address, mac: slot.mac, state: slot.state, expiresAt: slot.expiresAt, queued: slot.queue.length };
}
