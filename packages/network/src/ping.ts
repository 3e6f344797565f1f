// Ping and traceroute over ICMP echo (RFC 792 "Echo or Echo Reply Message"). A ping sends
// one echo request and settles at the virtual time of the reply, of an ICMP error quoting
// the request (time exceeded, destination unreachable), or of its timeout. Traceroute is a
// series of pings with TTL 1, 2, 3, ... reading who sent each time-exceeded (RFC 1393's
// idea, done with echo requests as Windows tracert does). Both progress inside the
// scheduler run through callbacks, so a caller may drive the clock synchronously.

import {
  InvalidArgumentError,
  Ipv4Address,
  assertIntegerInRange,
  parseDuration,
  type IpSendResult,
  type Nanoseconds,
  type Timers,
  type TimerHandle,
} from '@netlayers/core';
import { ICMP_HEADER_LENGTH } from './icmp-wire.ts';

export interface PingOptions {
  /** ICMP data bytes (default 56, as ping(8)). */
  readonly size?: number;
  readonly ttl?: number;
  /** How long to wait for an answer (default '1s'). */
  readonly timeout?: string | number;
  readonly dontFragment?: boolean;
  readonly identifier?: number;
  readonly sequence?: number;
}

export type PingFailure = 'timeout' | 'unreachable' | 'time-exceeded' | 'no-route' | 'too-big';

export type PingResult =
  | {
      readonly ok: true;
      /** Round-trip time in nanoseconds of virtual time. */
      readonly rtt: Nanoseconds;
      /** TTL of the echo reply. */
      readonly ttl: number;
      /** ICMP bytes in the reply (header + data), as ping(8) prints them. */
      readonly bytes: number;
      readonly from: Ipv4Address;
    }
  | {
      readonly ok: false;
      readonly reason: PingFailure;
      /** Who reported the error (a router or the destination). */
      readonly from?: Ipv4Address;
      readonly icmpType?: number;
      readonly icmpCode?: number;
      /** Next-hop MTU from a fragmentation-needed error, or the local MTU when the send itself was too big. */
      readonly mtu?: number;
      /** Time from the request to the ICMP error, when one came back. */
      readonly rtt?: Nanoseconds;
      readonly detail?: string;
    };

export interface TracerouteOptions {
  /** Highest TTL probed (default 30). */
  readonly maxHops?: number;
  /** Per-probe timeout (default '1s'). */
  readonly timeout?: string | number;
  /** ICMP data bytes per probe (default 56). */
  readonly size?: number;
}

export interface TracerouteHop {
  /** The TTL of the probe. */
  readonly ttl: number;
  /** Who answered, or null when the probe timed out ("*"). */
  readonly from: Ipv4Address | null;
  readonly rtt: Nanoseconds | null;
  /** The destination itself answered. */
  readonly reached: boolean;
  readonly result: PingResult;
}

/** What the pinger needs from the IP layer. */
export interface EchoSender {
  readonly timers: Timers;
  sendEchoRequest(destination: Ipv4Address, identifier: number, sequence: number, data: Uint8Array, ttl: number | undefined, dontFragment: boolean): IpSendResult;
  mtuTowards(destination: Ipv4Address): number;
}

interface PendingPing {
  readonly sentAt: Nanoseconds;
  readonly timer: TimerHandle;
  readonly onResult: (result: PingResult) => void;
}

export const DEFAULT_PING_SIZE = 56;
export const DEFAULT_PING_TIMEOUT = '1s';

export class Pinger {
  private readonly pending = new Map<number, PendingPing>();
  private nextSequence = 1;

  /** `identifier` is the default echo identifier of this node's pings (ping(8) uses its pid). */
  constructor(
    private readonly sender: EchoSender,
    readonly identifier = 1,
  ) {}

  /** Pings waiting for an answer. */
  get outstanding(): number {
    return this.pending.size;
  }

  /** Send one echo request; `onResult` runs once, inside the scheduler run (never synchronously). */
  ping(destinationInput: Ipv4Address | string, options: PingOptions, onResult: (result: PingResult) => void): void {
    const destination = Ipv4Address.from(destinationInput);
    const size = options.size ?? DEFAULT_PING_SIZE;
    assertIntegerInRange('size', size, 0, 65507);
    if (options.ttl !== undefined) assertIntegerInRange('ttl', options.ttl, 1, 255);
    const timeout = parseDuration(options.timeout ?? DEFAULT_PING_TIMEOUT);
    if (timeout <= 0) throw new InvalidArgumentError('timeout', options.timeout, 'must be longer than zero');
    const identifier = options.identifier ?? this.identifier;
    assertIntegerInRange('identifier', identifier, 0, 0xffff);
    const sequence = options.sequence ?? this.takeSequence();
    assertIntegerInRange('sequence', sequence, 0, 0xffff);
    const key = echoKey(identifier, sequence);
    if (this.pending.has(key)) {
      throw new InvalidArgumentError('sequence', sequence, `a ping with identifier ${identifier} and this sequence is still waiting`);
    }
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = i & 0xff;
    const timers = this.sender.timers;
    const timer = timers.schedule(timeout, () => this.settle(key, { ok: false, reason: 'timeout' }));
    this.pending.set(key, { sentAt: timers.now(), timer, onResult });
    const sent = this.sender.sendEchoRequest(destination, identifier, sequence, data, options.ttl, options.dontFragment ?? false);
    if (!sent.ok) {
      const failure: PingResult =
        sent.reason === 'too-big'
          ? { ok: false, reason: 'too-big', mtu: this.sender.mtuTowards(destination), detail: sent.detail }
          : { ok: false, reason: 'no-route', detail: sent.detail };
      timers.schedule(0, () => this.settle(key, failure));
    }
  }

  /** An echo reply arrived from `from`. Returns false when no ping waits for it. */
  handleEchoReply(from: Ipv4Address, identifier: number, sequence: number, ttl: number, dataLength: number): boolean {
    const key = echoKey(identifier, sequence);
    const waiting = this.pending.get(key);
    if (waiting === undefined) return false;
    const rtt = this.sender.timers.now() - waiting.sentAt;
    this.settle(key, { ok: true, rtt, ttl, bytes: ICMP_HEADER_LENGTH + dataLength, from });
    return true;
  }

  /** An ICMP error quoting our echo request (`identifier`, `sequence`) arrived. Returns false when no ping waits for it. */
  handleError(reporter: Ipv4Address, icmpType: number, icmpCode: number, identifier: number, sequence: number, mtu: number | undefined): boolean {
    const key = echoKey(identifier, sequence);
    const waiting = this.pending.get(key);
    if (waiting === undefined) return false;
    const rtt = this.sender.timers.now() - waiting.sentAt;
    let reason: PingFailure = 'unreachable';
    if (icmpType === 11) reason = 'time-exceeded';
    else if (icmpType === 3 && icmpCode === 4) reason = 'too-big';
    const result: PingResult = mtu === undefined
      ? { ok: false, reason, from: reporter, icmpType, icmpCode, rtt }
      : { ok: false, reason, from: reporter, icmpType, icmpCode, rtt, mtu };
    this.settle(key, result);
    return true;
  }

  /** Probe with TTL 1, 2, ... until the destination answers, an unreachable comes back, or `maxHops`. */
  traceroute(destinationInput: Ipv4Address | string, options: TracerouteOptions, onDone: (hops: TracerouteHop[]) => void): void {
    const destination = Ipv4Address.from(destinationInput);
    const maxHops = options.maxHops ?? 30;
    assertIntegerInRange('maxHops', maxHops, 1, 255);
    const timeout = options.timeout ?? DEFAULT_PING_TIMEOUT;
    parseDuration(timeout);
    const hops: TracerouteHop[] = [];
    const probe = (ttl: number): void => {
      const pingOptions: PingOptions = options.size === undefined ? { ttl, timeout } : { ttl, timeout, size: options.size };
      this.ping(destination, pingOptions, (result) => {
        const reached = result.ok;
        const from = result.ok ? result.from : (result.from ?? null);
        const rtt = result.rtt ?? null;
        hops.push({ ttl, from, rtt, reached, result });
        const finished = reached || (!result.ok && result.reason !== 'time-exceeded' && result.reason !== 'timeout');
        if (finished || ttl >= maxHops) onDone(hops);
        else probe(ttl + 1);
      });
    };
    probe(1);
  }

  private takeSequence(): number {
    // Skip sequences still in use after a wrap-around.
    for (let i = 0; i <= 0xffff; i++) {
      const sequence = this.nextSequence;
      this.nextSequence = (this.nextSequence + 1) & 0xffff;
      if (!this.pending.has(echoKey(this.identifier, sequence))) return sequence;
    }
    throw new InvalidArgumentError('ping', this.pending.size, 'every echo sequence number is in use');
  }

  private settle(key: number, result: PingResult): void {
    const waiting = this.pending.get(key);
    if (waiting === undefined) return;
    this.pending.delete(key);
    waiting.timer.cancel();
    waiting.onResult(result);
  }
}

function echoKey(identifier: number, sequence: number): number {
  return identifier * 0x10000 + sequence;
}
