// The segment-level harness for our TcpLayer: @netlayers/testing's TcpSegmentHarness (which
// works for any TCP) with our layer built by a factory, its ISS fixed at LOCAL_ISS and the
// features that would add options to every segment turned off. Tests play the peer and
// expect exactly one reply (or none), with a readable diff naming each wrong field.

import {
  HARNESS_LOCAL,
  HARNESS_LOCAL_PORT,
  HARNESS_REMOTE,
  HARNESS_REMOTE_ISS,
  HARNESS_REMOTE_PORT,
  TcpSegmentHarness,
  controlBits,
  recordSocket,
  type ExpectedSegment,
  type SegmentTemplate,
} from '@netlayers/testing';
import { TcpLayer, type TcpOptions, type TcpSocket } from '../../../src/tcp/index.ts';

export const LOCAL = HARNESS_LOCAL;
export const REMOTE = HARNESS_REMOTE;
export const LOCAL_PORT = HARNESS_LOCAL_PORT;
export const REMOTE_PORT = HARNESS_REMOTE_PORT;
/** Our ISS (fixed through the initialSequenceNumber option) and the peer's. */
export const LOCAL_ISS = 10_000;
export const REMOTE_ISS = HARNESS_REMOTE_ISS;

export type { SegmentTemplate };
export type Expected = ExpectedSegment;
export const flagsOf = controlBits;

const DEFAULT_TCP: TcpOptions = {
  initialSequenceNumber: LOCAL_ISS,
  delayedAck: 0,
  timestamps: false,
  sack: false,
  windowScaling: false,
  receiveBufferSize: 65535,
};

export class Harness extends TcpSegmentHarness<TcpLayer, TcpSocket> {
  constructor(options: TcpOptions = {}) {
    super({ factory: (node, ip) => new TcpLayer(node, ip, { ...DEFAULT_TCP, ...options }), iss: typeof options.initialSequenceNumber === 'function' ? undefined : (options.initialSequenceNumber ?? LOCAL_ISS) });
  }

  /** Our layer under test. */
  get tcp(): TcpLayer {
    return this.transport;
  }
}

/** Record a socket's data (as text) and events (as names) for assertions. */
export function record(socket: TcpSocket): { received: string[]; events: string[] } {
  return recordSocket(socket);
}
