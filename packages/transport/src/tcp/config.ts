// Configuration of a TcpLayer: every knob with its RFC default (RFC 9293 MSL, RFC 6298 RTO
// bounds, RFC 1122 §4.2.3.2 delayed ACK, RFC 1122 §4.2.3.6 keepalive, RFC 6056 ephemeral
// ports), validated once at construction so bad values throw a typed error naming them.

import { InvalidArgumentError, NS_PER_MS, NS_PER_S, parseDuration, parseSize, type Nanoseconds } from '@netlayers/core';
import type { CongestionControlFactory, CongestionControlName } from './congestion/types.ts';
import type { ConnectionTuple } from './isn.ts';
import type { InitialWindowPolicy } from './congestion/initial-window.ts';
import { tcpProfile, type NagleRule, type PtoFormula, type TcpProfileName } from './profiles.ts';
import type { RtoFormula } from './rto.ts';

export type Duration = string | number;

export interface TcpOptions {
  /**
   * Defaults for loss recovery and timers (profiles.ts): 'rfc' (the default: the RFCs' own
   * defaults, as before profiles existed) or 'linux' (200 ms minimum RTO on Linux's RTO
   * formula, initial window 10, 40 ms delayed ACK, CUBIC, RACK-TLP, PRR, D-SACK and undo).
   * Options below override it.
   */
  readonly profile?: TcpProfileName;
  /** Initial congestion window: 'rfc5681' (2-4 segments), 'rfc6928' (10) or a segment count. */
  readonly initialWindow?: InitialWindowPolicy;
  /** RFC 8985 RACK loss detection, TLP, RFC 6937 PRR, RFC 2883 D-SACK, undo of spurious retransmissions. */
  readonly rack?: boolean;
  readonly tlp?: boolean;
  /**
   * How the Tail Loss Probe's timeout is computed (recovery/tlp-timer.ts): 'rfc8985' (PTO =
   * 2*SRTT, + WCDelAckT 200 ms with one segment in flight) or 'linux' (2*SRTT + 2 ms, +
   * the minimum RTO with one segment in flight, as tcp_schedule_loss_probe()). Both are
   * capped at the RTO's expiration (RFC 8985 §7.2). Default from the profile.
   */
  readonly ptoFormula?: PtoFormula;
  readonly prr?: boolean;
  readonly dsack?: boolean;
  readonly undo?: boolean;
  /** Maximum segment lifetime; TIME-WAIT lasts 2*MSL (RFC 9293 §3.4.2: 2 minutes). */
  readonly msl?: Duration;
  /** Fix the ISN (a number, or a function of the 4-tuple) instead of RFC 6528's. */
  readonly initialSequenceNumber?: number | ((tuple: ConnectionTuple) => number);
  /** RFC 6298: initial RTO (default 1 s), minimum (1 s; Linux uses 200 ms), maximum (60 s), clock granularity G (1 ms). */
  readonly rtoInitial?: Duration;
  readonly rtoMin?: Duration;
  readonly rtoMax?: Duration;
  readonly clockGranularity?: Duration;
  /** 'rfc6298' (RTO = max(rtoMin, SRTT + 4*RTTVAR)) or 'linux' (RTO = SRTT + max(4*mdev, rtoMin), Linux's estimator); default from the profile. */
  readonly rtoFormula?: RtoFormula;
  /** Retransmissions of a SYN before connect fails with ETIMEDOUT (default 6, as Linux). */
  readonly synRetries?: number;
  /** Alternatively, a hard connect deadline (default none). */
  readonly connectTimeout?: Duration;
  /** Retransmissions of data before the connection is aborted with ETIMEDOUT (default 15, as Linux's tcp_retries2). */
  readonly maxRetries?: number;
  /** Delayed ACK timer (default 200 ms, at most 500 ms per RFC 1122); 0 disables delayed ACKs. */
  readonly delayedAck?: Duration;
  /** Disable Nagle's algorithm on new sockets (default false). */
  readonly noDelay?: boolean;
  /**
   * Nagle's rule: 'rfc1122' (RFC 1122 §4.2.3.4: no segment shorter than the MSS while any data
   * is unacknowledged) or 'minshall' (Minshall's variant, as Linux: none while an earlier
   * short segment is unacknowledged); default from the profile.
   */
  readonly nagle?: NagleRule;
  /** Our MSS; default: the MTU towards the peer minus 40. */
  readonly mss?: number;
  /** Socket buffer sizes (defaults 256 KiB each). The receive buffer bounds the window. */
  readonly sendBufferSize?: number | string;
  readonly receiveBufferSize?: number | string;
  /** Offer RFC 7323 window scaling (default true), timestamps (true), RFC 2018 SACK (true). */
  readonly windowScaling?: boolean;
  readonly timestamps?: boolean;
  readonly sack?: boolean;
  /** Congestion control (default from the profile: 'newreno' for 'rfc', 'cubic' for 'linux'). */
  readonly congestionControl?: CongestionControlName | CongestionControlFactory;
  /** Ephemeral port range (default 49152-65535, RFC 6335). */
  readonly ephemeralPorts?: readonly [number, number];
  /** Keepalive (RFC 1122 §4.2.3.6): idle time (2 h), probe interval (75 s), probes (9). */
  readonly keepAliveIdle?: Duration;
  readonly keepAliveInterval?: Duration;
  readonly keepAliveProbes?: number;
  /** RFC 5961 §7: challenge ACKs per second for the whole layer (default 1000). */
  readonly challengeAckLimit?: number;
  /** Default listen backlog (bound on half-open plus unaccepted connections, default 511). */
  readonly backlog?: number;
  /**
   * FIN-WAIT-2 timeout, as Linux's tcp_fin_timeout (default 60 s; 0 disables): a connection
   * whose FIN was acknowledged is reset and closed when nothing has arrived from the peer
   * for this long. (Linux applies it to orphaned sockets only; end() here is a half-close,
   * so the timer restarts on every segment received and a peer still sending keeps it alive.)
   */
  readonly finWait2Timeout?: Duration;
  /** RFC 4987 SYN cookies when a listener's SYN queue (its backlog) is full (default true, as Linux's tcp_syncookies=1). */
  readonly synCookies?: boolean;
}

export interface TcpConfig {
  readonly profile: TcpProfileName;
  readonly initialWindow: InitialWindowPolicy;
  readonly rack: boolean;
  readonly tlp: boolean;
  readonly ptoFormula: PtoFormula;
  readonly prr: boolean;
  readonly dsack: boolean;
  readonly undo: boolean;
  readonly msl: Nanoseconds;
  readonly initialSequenceNumber: number | ((tuple: ConnectionTuple) => number) | undefined;
  readonly rtoInitial: Nanoseconds;
  readonly rtoMin: Nanoseconds;
  readonly rtoMax: Nanoseconds;
  readonly clockGranularity: Nanoseconds;
  readonly rtoFormula: RtoFormula;
  readonly synRetries: number;
  readonly connectTimeout: Nanoseconds | undefined;
  readonly maxRetries: number;
  readonly delayedAck: Nanoseconds;
  readonly noDelay: boolean;
  readonly nagle: NagleRule;
  readonly mss: number | undefined;
  readonly sendBufferSize: number;
  readonly receiveBufferSize: number;
  readonly windowScaling: boolean;
  readonly timestamps: boolean;
  readonly sack: boolean;
  readonly congestionControl: CongestionControlName | CongestionControlFactory;
  readonly ephemeralPorts: readonly [number, number];
  readonly keepAliveIdle: Nanoseconds;
  readonly keepAliveInterval: Nanoseconds;
  readonly keepAliveProbes: number;
  readonly challengeAckLimit: number;
  readonly backlog: number;
  readonly finWait2Timeout: Nanoseconds;
  readonly synCookies: boolean;
}

function duration(name: string, value: Duration | undefined, fallback: Duration): Nanoseconds {
  const ns = parseDuration(value ?? fallback);
  if (!Number.isFinite(ns) || ns < 0) throw new InvalidArgumentError(name, value, 'must be a duration >= 0');
  return ns;
}

function integer(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new InvalidArgumentError(name, value, `must be an integer from ${min} to ${max}`);
  return v;
}

function size(name: string, value: number | string | undefined, fallback: number): number {
  const v = value === undefined ? fallback : parseSize(value);
  if (v < 1 || v > 1 << 30) throw new InvalidArgumentError(name, value, 'must be from 1 byte to 1 GiB');
  return v;
}

/** Validate `options` and fill in defaults. Throws InvalidArgumentError/InvalidUnitError naming a bad value. */
export function resolveTcpConfig(options: TcpOptions = {}): TcpConfig {
  const profile = tcpProfile(options.profile);
  const rtoMin = duration('rtoMin', options.rtoMin, profile.rtoMin);
  const rtoMax = duration('rtoMax', options.rtoMax, '60s');
  if (rtoMax < rtoMin) throw new InvalidArgumentError('rtoMax', options.rtoMax, `must not be below rtoMin (${rtoMin} ns)`);
  const delayedAck = duration('delayedAck', options.delayedAck, profile.delayedAck);
  if (delayedAck > 500 * NS_PER_MS) throw new InvalidArgumentError('delayedAck', options.delayedAck, 'must be at most 500 ms (RFC 1122 §4.2.3.2)');
  const ports = options.ephemeralPorts ?? [49152, 65535];
  integer('ephemeralPorts[0]', ports[0], 49152, 1, 65535);
  integer('ephemeralPorts[1]', ports[1], 65535, ports[0], 65535);
  const isn = options.initialSequenceNumber;
  if (typeof isn === 'number') integer('initialSequenceNumber', isn, 0, 0, 0xffffffff);
  const cc = options.congestionControl ?? profile.congestionControl;
  const rtoFormula = options.rtoFormula ?? profile.rtoFormula;
  if (rtoFormula !== 'rfc6298' && rtoFormula !== 'linux') throw new InvalidArgumentError('rtoFormula', rtoFormula, "must be 'rfc6298' or 'linux'");
  const ptoFormula = options.ptoFormula ?? profile.ptoFormula;
  if (ptoFormula !== 'rfc8985' && ptoFormula !== 'linux') throw new InvalidArgumentError('ptoFormula', ptoFormula, "must be 'rfc8985' or 'linux'");
  if (typeof cc === 'string' && cc !== 'reno' && cc !== 'newreno' && cc !== 'cubic') {
    throw new InvalidArgumentError('congestionControl', cc, "must be 'reno', 'newreno', 'cubic' or a factory function");
  }
  const initialWindow = options.initialWindow ?? profile.initialWindow;
  if (typeof initialWindow === 'number') integer('initialWindow', initialWindow, 10, 1, 1000);
  else if (initialWindow !== 'rfc5681' && initialWindow !== 'rfc6928') throw new InvalidArgumentError('initialWindow', initialWindow, "must be 'rfc5681', 'rfc6928' or a segment count");
  const nagle = options.nagle ?? profile.nagle;
  if (nagle !== 'rfc1122' && nagle !== 'minshall') throw new InvalidArgumentError('nagle', nagle, "must be 'rfc1122' or 'minshall'");
  const flag = (name: string, value: boolean | undefined, fallback: boolean): boolean => {
    if (value !== undefined && typeof value !== 'boolean') throw new InvalidArgumentError(name, value, 'must be true or false');
    return value ?? fallback;
  };
  return {
    profile: options.profile ?? 'rfc',
    initialWindow,
    rack: flag('rack', options.rack, profile.rack),
    tlp: flag('tlp', options.tlp, profile.tlp),
    ptoFormula,
    prr: flag('prr', options.prr, profile.prr),
    dsack: flag('dsack', options.dsack, profile.dsack),
    undo: flag('undo', options.undo, profile.undo),
    msl: duration('msl', options.msl, '2min'),
    initialSequenceNumber: isn,
    rtoInitial: duration('rtoInitial', options.rtoInitial, '1s'),
    rtoMin,
    rtoMax,
    clockGranularity: duration('clockGranularity', options.clockGranularity, '1ms'),
    rtoFormula,
    synRetries: integer('synRetries', options.synRetries, 6, 0, 255),
    connectTimeout: options.connectTimeout === undefined ? undefined : duration('connectTimeout', options.connectTimeout, 0),
    maxRetries: integer('maxRetries', options.maxRetries, 15, 0, 255),
    delayedAck,
    noDelay: options.noDelay ?? false,
    nagle,
    mss: options.mss === undefined ? undefined : integer('mss', options.mss, 536, 64, 65495),
    sendBufferSize: size('sendBufferSize', options.sendBufferSize, 256 * 1024),
    receiveBufferSize: size('receiveBufferSize', options.receiveBufferSize, 256 * 1024),
    windowScaling: options.windowScaling ?? true,
    timestamps: options.timestamps ?? true,
    sack: options.sack ?? true,
    congestionControl: cc,
    ephemeralPorts: [ports[0], ports[1]],
    keepAliveIdle: duration('keepAliveIdle', options.keepAliveIdle, '2h'),
    keepAliveInterval: duration('keepAliveInterval', options.keepAliveInterval, '75s'),
    keepAliveProbes: integer('keepAliveProbes', options.keepAliveProbes, 9, 1, 255),
    challengeAckLimit: integer('challengeAckLimit', options.challengeAckLimit, 1000, 0, 1e9),
    backlog: integer('backlog', options.backlog, 511, 1, 1 << 20),
    finWait2Timeout: duration('finWait2Timeout', options.finWait2Timeout, '60s'),
    synCookies: options.synCookies ?? true,
  };
}

/** The window-scale shift that lets a 16-bit field describe `bufferSize` (RFC 7323 §2.3, at most 14). */
export function windowScaleFor(bufferSize: number): number {
  let shift = 0;
  while (shift < 14 && bufferSize >>> shift > 0xffff) shift++;
  return shift;
}

export const NS_PER_TS_TICK = NS_PER_MS;
export const SECOND = NS_PER_S;
