// Typed trace events. Every crossing of a layer boundary, every drop, every state change
// and every timer is one of these. Renderers (ladder diagrams, tcpdump lines, pcap) and
// tests consume them; layers never print.

import type { DropReason } from './drop-reasons.ts';
import type { MetricValues, PduHeader } from './headers.ts';
import type { Nanoseconds } from '../time/scheduler.ts';

/**
 * The role (five-layer TCP/IP name) of the code that produced an event. A four-layer
 * stack's combined module reports 'network-access' (link and physical as one layer).
 */
export type Role = 'application' | 'transport' | 'network' | 'link' | 'physical' | 'network-access';

/** Down: towards the medium (sending). Up: towards the application (receiving). Forward: a router or switch relaying. */
export type Direction = 'down' | 'up' | 'forward';

interface TraceEventBase {
  /** Virtual time in nanoseconds. */
  readonly time: Nanoseconds;
  /** The node (host, router, switch) where it happened. */
  readonly node: string;
  readonly role: Role;
  /** The protocol or component: 'tcp', 'udp', 'ipv4', 'icmp', 'arp', 'ethernet', 'phy', 'switch', 'http'... */
  readonly protocol: string;
  /** Interface or port name, where one applies ('eth0'). */
  readonly iface?: string;
}

/** A PDU crossing a layer boundary. */
export interface PduEvent extends TraceEventBase {
  readonly kind: 'pdu';
  readonly direction: Direction;
  /** Total bytes of this layer's PDU (header + payload). */
  readonly length: number;
  /** This layer's header length in bytes. */
  readonly headerLength: number;
  /** One line, tcpdump style: "10.0.0.1.49152 > 10.0.0.2.80: Flags [S], seq 0, win 65535". */
  readonly text: string;
  /** The parsed header, typed per protocol: switch on `header.protocol` (see headers.ts). */
  readonly header: PduHeader;
  /** Connection key for transport PDUs: "10.0.0.1:49152-10.0.0.2:80" from the sender's view. */
  readonly connection?: string;
  /** Whether this PDU was a retransmission (transport). */
  readonly retransmission?: boolean;
}

/**
 * What happened to a frame. At a node's capture point (its NIC), as tcpdump taps:
 * - 'tx': the interface handed the frame to the medium (before anything the medium does);
 * - 'rx': the medium delivered the frame to the interface.
 * On a medium (the event's `node` is the medium's name, its `iface` the port the frame
 * entered by, "client:eth0"):
 * - 'lost': the medium lost the frame (impairment, link down, collision);
 * - 'duplicated': the medium made an extra copy (the event carries the copy);
 * - 'corrupted': the medium flipped bits (the event carries the corrupted bytes);
 * - 'delayed': the medium held the frame back (reordering, jitter, rate limit).
 * A node's own refusal before the medium (port down, too big, queue full) is a 'lost'
 * frame event on the node, with its drop event, and never a 'tx'.
 */
export type FrameAction = 'tx' | 'rx' | 'lost' | 'duplicated' | 'corrupted' | 'delayed';

/** A whole frame crossing a capture point or changed by a medium: what captures record. */
export interface FrameEvent extends TraceEventBase {
  readonly kind: 'frame';
  readonly action: FrameAction;
  /** The frame bytes (link-layer header through FCS): a snapshot the event owns (the Tracer copies them), never mutated. */
  readonly bytes: Uint8Array;
  /**
   * The link type of the bytes, the key of the dissector table 'link' that decodes them:
   * 'ethernet' (Ethernet II with FCS, the default when absent) or 'ppp' (RFC 1662 frame
   * after unstuffing: address, control, protocol, information, FCS-16).
   */
  readonly linkType?: string;
  /** What the medium did and why ('loss (p=0.1)', 'held 1 ms (reorder)'), or why a node refused it. */
  readonly detail?: string;
}

/** A packet dropped by a layer, with its reason. */
export interface DropEvent extends TraceEventBase {
  readonly kind: 'drop';
  readonly reason: DropReason;
  readonly detail: string;
  readonly length: number;
  readonly connection?: string;
}

/** A state machine changed state (TCP connection, ARP entry, interface, DHCP client...). */
export interface StateEvent extends TraceEventBase {
  readonly kind: 'state';
  /** What changed: a connection key, an ARP entry, an interface name. */
  readonly entity: string;
  readonly from: string;
  readonly to: string;
  /** What made it change: "rcv SYN,ACK", "close()", "timeout". */
  readonly cause?: string;
}

/** A timer was set, fired or cancelled. */
export interface TimerEvent extends TraceEventBase {
  readonly kind: 'timer';
  readonly action: 'set' | 'fired' | 'cancelled';
  /** The timer's name, as the RFC names it: 'RTO', 'TIME-WAIT', 'delayed-ACK', 'persist', 'keepalive', 'ARP-retry', 'reassembly'. */
  readonly timer: string;
  readonly entity?: string;
  /** For 'set': how long until it fires. */
  readonly duration?: Nanoseconds;
}

/** A named measurement: cwnd and ssthresh, an ARP cache size, a queue length. */
export interface MetricEvent extends TraceEventBase {
  readonly kind: 'metric';
  readonly entity?: string;
  readonly values: MetricValues;
}

/** A sentence worth showing a learner: "ARP cache: 10.0.0.2 is-at 02:..", "route via 10.0.1.1". */
export interface NoteEvent extends TraceEventBase {
  readonly kind: 'note';
  readonly message: string;
  readonly entity?: string;
}

export type TraceEvent = PduEvent | FrameEvent | DropEvent | StateEvent | TimerEvent | MetricEvent | NoteEvent;
export type TraceEventKind = TraceEvent['kind'];

/** The fields a producer supplies: the tracer adds time and node. */
export type TraceInput<E extends TraceEvent = TraceEvent> = E extends TraceEvent ? Omit<E, 'time' | 'node'> : never;
