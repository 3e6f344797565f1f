// The physical-layer contract: a port is one attachment of a node to a medium. The link
// layer above hands it whole frames (header through FCS) and gets whole frames back. A
// medium may be a point-to-point link, a hub, or anything a student builds; impairments,
// captures and tracing are wrappers that implement PhyPort around an `inner` PhyPort.

import type { NodeContext } from './node.ts';

export interface PhyCapabilities {
  /** Largest network-layer packet a frame may carry, as `ip link` shows MTU (Ethernet: 1500). */
  readonly mtu: number;
  /** Largest whole frame the medium carries, in bytes (link header, payload and trailer). */
  readonly maxFrameBytes: number;
  /** Line rate in bits per second (sets serialization delay). */
  readonly bitsPerSecond: number;
  /** One-way propagation delay in nanoseconds. */
  readonly propagationDelay: number;
}

export interface PhyPortStats {
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
  /** Frames dropped at this port (queue full, too big, down, impairment). */
  drops: number;
}

export type FrameReceiver = (frame: Uint8Array) => void;

export interface PhyPort {
  /** "h1:eth0": node and interface. */
  readonly name: string;
  readonly capabilities: PhyCapabilities;
  readonly isUp: boolean;
  readonly stats: PhyPortStats;
  /**
   * Queue a frame for transmission. Returns false when it was dropped at once (queue full,
   * larger than maxFrameBytes, port down). The port never mutates or keeps a reference the
   * sender may reuse: the sender gives up the buffer.
   */
  transmit(frame: Uint8Array): boolean;
  /** The layer above sets where received frames go (null detaches). */
  setReceiver(receiver: FrameReceiver | null): void;
  /** Called when the port goes up or down (the link layer sends a gratuitous ARP on up). */
  onLinkChange(listener: (up: boolean) => void): void;
}

/** A medium that nodes attach to: each `attach` makes one port. */
export interface Medium {
  readonly name: string;
  readonly capabilities: PhyCapabilities;
  attach(node: NodeContext, portName: string): PhyPort;
}
