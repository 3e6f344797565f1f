// Typed header payloads of `pdu` trace events: one interface per protocol, each with a
// literal `protocol` discriminant, gathered in the augmentable `PduHeaderMap`. A renderer
// switches on `header.protocol` and reads named, typed fields, so renaming a field is a
// compile error wherever it is read. Field names follow the RFCs: Ethernet II and 802.1Q
// (IEEE 802.3 §3.2, 802.1Q §9.6), ARP (RFC 826), IPv4 (RFC 791 §3.1), ICMP (RFC 792),
// TCP (RFC 9293 §3.1, options RFC 7323 / RFC 2018), UDP (RFC 768).
//
// A protocol written outside core adds its own payload without editing core, by module
// augmentation:
//
//   declare module '@netlayers/core' {
//     interface PduHeaderMap { 'my-transport': MyTransportHeaderInfo }
//   }
//
// or, without declaring a type, emits a `GenericHeaderInfo` ({ protocol: 'generic', ... }).

/** Ethernet II header as a sender wrote it (802.1Q tag when present). */
export interface EthernetHeaderInfo {
  readonly protocol: 'ethernet';
  readonly source: string;
  readonly destination: string;
  /** The payload's EtherType (the inner one when tagged). */
  readonly etherType: number;
  /** 802.1Q VLAN identifier, when the frame is tagged. */
  readonly vlan?: number;
  /** Frame length without the FCS. */
  readonly length: number;
}

/** A learning switch relaying a frame (IEEE 802.1D §7.7 forwarding). */
export interface SwitchForwardInfo {
  readonly protocol: 'switch';
  /** Index of the port the frame came in on. */
  readonly ingress: number;
  /** The port (index) it went out of, or the flooded port list. */
  readonly egress: string;
  readonly flooded: boolean;
  readonly source: string;
  readonly destination: string;
  readonly etherType: number;
  readonly length: number;
}

/** An Ethernet/IPv4 ARP packet (RFC 826: ar$op, ar$sha, ar$spa, ar$tha, ar$tpa). */
export interface ArpHeaderInfo {
  readonly protocol: 'arp';
  readonly operation: 'request' | 'reply';
  readonly senderHardware: string;
  readonly senderProtocol: string;
  readonly targetHardware: string;
  readonly targetProtocol: string;
}

/** The fixed IPv4 header fields (RFC 791 §3.1). */
export interface Ipv4Fields {
  readonly source: string;
  readonly destination: string;
  /** The Protocol field: the IP protocol number of the payload. */
  readonly ipProtocol: number;
  readonly ttl: number;
  readonly identification: number;
  /** Header plus data, bytes. */
  readonly totalLength: number;
  readonly headerLength: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  /** Offset of this fragment's data in the original datagram, bytes. */
  readonly fragmentOffset: number;
}

export interface Ipv4HeaderInfo extends Ipv4Fields {
  readonly protocol: 'ipv4';
}

/** An ICMP message (RFC 792) and the IPv4 header that carried it. */
export interface IcmpHeaderInfo {
  readonly protocol: 'icmp';
  readonly ip: Ipv4Fields;
  readonly type: number;
  readonly code: number;
  /** Echo request/reply identifier and sequence number. */
  readonly identifier?: number;
  readonly sequence?: number;
}

/** RFC 9293 §3.1 control bits, as the RFC spells them. */
export type TcpFlagName = 'CWR' | 'ECE' | 'URG' | 'ACK' | 'PSH' | 'RST' | 'SYN' | 'FIN';

export interface TcpOptionsInfo {
  readonly mss?: number;
  readonly windowScale?: number;
  readonly sackPermitted?: boolean;
  readonly timestamps?: { readonly value: number; readonly echo: number };
  /** SACK blocks, left and right edges (RFC 2018). */
  readonly sack?: readonly (readonly [number, number])[];
}

export interface TcpHeaderInfo {
  readonly protocol: 'tcp';
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly seq: number;
  readonly ack: number;
  /** The set control bits, in Wireshark's order: SYN,ACK / PSH,ACK / FIN,ACK. */
  readonly flags: readonly TcpFlagName[];
  /** The raw 16-bit window field. */
  readonly window: number;
  readonly urgentPointer: number;
  readonly payloadLength: number;
  readonly options: TcpOptionsInfo;
}

export interface UdpHeaderInfo {
  readonly protocol: 'udp';
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payloadLength: number;
}

/** One named value of a protocol that declared no type of its own. */
export interface GenericValue {
  readonly name: string;
  readonly value: string | number | boolean;
}

/** For a protocol that has not added its own entry to PduHeaderMap: its name and values. */
export interface GenericHeaderInfo {
  readonly protocol: 'generic';
  /** The protocol's own name ('my-transport'). */
  readonly name: string;
  readonly values: readonly GenericValue[];
}

/**
 * Every typed header payload, by discriminant. Packages outside core add theirs by module
 * augmentation (see the top of this file); `PduHeader` picks them up everywhere.
 */
export interface PduHeaderMap {
  ethernet: EthernetHeaderInfo;
  switch: SwitchForwardInfo;
  arp: ArpHeaderInfo;
  ipv4: Ipv4HeaderInfo;
  icmp: IcmpHeaderInfo;
  tcp: TcpHeaderInfo;
  udp: UdpHeaderInfo;
  generic: GenericHeaderInfo;
}

/** The discriminated union of every header payload a pdu event can carry. */
export type PduHeader = PduHeaderMap[keyof PduHeaderMap];

/** The payload with discriminant `P`: `HeaderOf<'tcp'>` is TcpHeaderInfo. */
export type HeaderOf<P extends PduHeader['protocol']> = Extract<PduHeader, { readonly protocol: P }>;

/** Narrow a pdu header to one protocol's payload (undefined for any other). */
export function headerOf<P extends PduHeader['protocol']>(header: PduHeader, protocol: P): HeaderOf<P> | undefined {
  return header.protocol === protocol ? (header as HeaderOf<P>) : undefined;
}

/** Named measurements of a metric event (cwnd, ssthresh, a queue length...). */
export type MetricValues = Readonly<Record<string, string | number | boolean>>;
