// Medium options: parse and validate what a caller passes to PointToPointLink and Hub, and
// derive the capabilities (line rate, propagation delay, MTU, largest frame) a port reports.
// Sizes follow IEEE 802.3: a 14-byte Ethernet header, a 4-byte 802.1Q tag and a 4-byte FCS
// around the MTU; preamble (7) + SFD (1) + inter-frame gap (12) occupy the wire but are not carried.

import { assertIntegerInRange, parseBandwidth, parseDuration, type PhyCapabilities } from '@netlayers/core';
import type { ImpairmentOptions } from './impairments/options.ts';

/** Ethernet header (14) + 802.1Q tag (4) + FCS (4): what a frame adds around an MTU-sized packet. */
export const ETHERNET_FRAME_OVERHEAD = 22;
/** Preamble (7) + start frame delimiter (1) + inter-frame gap (12), in bytes. */
export const DEFAULT_FRAMING_OVERHEAD = 20;
export const DEFAULT_BANDWIDTH = '100Mbps';
export const DEFAULT_DELAY = '5us';
export const DEFAULT_MTU = 1500;
export const DEFAULT_QUEUE_LIMIT = 100;

export interface MediumOptions {
  /** The medium's name in traces and errors. */
  name?: string;
  /** Line rate: "100Mbps", "1 Gbit/s" or bits per second (default 100 Mbit/s). */
  bandwidth?: string | number;
  /** One-way propagation delay: "5us", "2ms" or nanoseconds (default 5 µs, about 1 km of fibre). */
  delay?: string | number;
  /** Largest network-layer packet (default 1500); maxFrameBytes is mtu + 22. */
  mtu?: number;
  /** Frames that may wait behind the one being serialized, per transmitter (default 100). */
  queueLimit?: number;
  /** Bytes that take wire time but are not carried: preamble, SFD, inter-frame gap (default 20). */
  framingOverhead?: number;
  /** Impairments applied on the transmit side of every port (both directions of a link). */
  impairments?: ImpairmentOptions;
}

export type PointToPointOptions = MediumOptions;
export type HubOptions = MediumOptions;

/** PhyCapabilities plus the per-frame wire overhead this medium charges in serialization time. */
export interface PhysicalCapabilities extends PhyCapabilities {
  /** Bytes per frame counted in serialization time but not delivered (preamble, SFD, IFG). */
  readonly framingOverhead: number;
}

export interface ResolvedMediumOptions {
  readonly name: string | undefined;
  readonly capabilities: PhysicalCapabilities;
  readonly queueLimit: number;
  readonly impairments: ImpairmentOptions | undefined;
}

/** Validate options (throwing typed errors that name the bad value) and fill in defaults. */
export function resolveMediumOptions(options: MediumOptions): ResolvedMediumOptions {
  const bitsPerSecond = parseBandwidth(options.bandwidth ?? DEFAULT_BANDWIDTH);
  const propagationDelay = parseDuration(options.delay ?? DEFAULT_DELAY);
  const mtu = options.mtu ?? DEFAULT_MTU;
  assertIntegerInRange('mtu', mtu, 68, 65535);
  const queueLimit = options.queueLimit ?? DEFAULT_QUEUE_LIMIT;
  assertIntegerInRange('queueLimit', queueLimit, 0, 2 ** 31 - 1);
  const framingOverhead = options.framingOverhead ?? DEFAULT_FRAMING_OVERHEAD;
  assertIntegerInRange('framingOverhead', framingOverhead, 0, 65535);
  return {
    name: options.name,
    capabilities: {
      mtu,
      maxFrameBytes: mtu + ETHERNET_FRAME_OVERHEAD,
      bitsPerSecond,
      propagationDelay,
      framingOverhead,
    },
    queueLimit,
    impairments: options.impairments,
  };
}

/** Time in integer nanoseconds to clock `frameBytes` (+ overhead) onto a line of `bitsPerSecond`. */
export function serializationTime(frameBytes: number, framingOverhead: number, bitsPerSecond: number): number {
  return Math.round(((frameBytes + framingOverhead) * 8 * 1e9) / bitsPerSecond);
}
