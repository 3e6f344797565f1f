// Building what the remote side sends for a `<` line, under packetdrill's conventions: the
// remote's sequence numbers as written, `ack` and SACK edges (RFC 2018) shifted by the local
// ISN, TS ecr (RFC 7323) shifted by the local TS offset; payload bytes are zeros. ICMP lines
// become the error report IP would hand the transport (RFC 792, RFC 1122 §4.2.3.9), quoting
// a segment of the connection (RFC 5927 §4.1 checks the quoted sequence number).

import { IpProtocol, type IcmpErrorReport, type Ipv4Address } from '@netlayers/core';
import type { IcmpPacketSpec, TcpPacketSpec } from './ast.ts';
import { emitTcp, flagsFromLetters } from './wire.ts';

export interface InboundContext {
  readonly local: Ipv4Address;
  readonly remote: Ipv4Address;
  readonly localPort: number;
  readonly remotePort: number;
  /** The local ISN once learned (else sequence numbers are absolute). */
  readonly localIsn: number | undefined;
  /** live TS val − script TS val, once learned. */
  readonly tsOffset: number | undefined;
}

/** The TCP segment for an inbound line, or an error message. */
export function inboundTcp(spec: TcpPacketSpec, ctx: InboundContext): Uint8Array | string {
  if (spec.options === 'any') return "'<...>' (any options) is only for outbound packets";
  const isn = ctx.localIsn ?? 0;
  const options = (spec.options ?? []).map((o) => {
    if (o.kind === 'sack') return { kind: 'sack' as const, blocks: o.blocks.map(([l, r]) => [(l + isn) >>> 0, (r + isn) >>> 0] as const) };
    if (o.kind === 'TS') return { kind: 'TS' as const, val: o.val, ecr: (o.ecr + (ctx.tsOffset ?? 0)) >>> 0 };
    return o;
  });
  return emitTcp(
    {
      sourcePort: ctx.remotePort,
      destinationPort: ctx.localPort,
      seq: spec.seqStart,
      ack: spec.ack === undefined ? 0 : (spec.ack + isn) >>> 0,
      flags: flagsFromLetters(spec.flags),
      window: spec.win ?? 65535,
      urgent: spec.urg ?? 0,
      options,
    },
    new Uint8Array(spec.length),
    ctx.remote,
    ctx.local,
  );
}

/** ICMP destination-unreachable codes by packetdrill's names (RFC 792, RFC 1191). */
export const ICMP_UNREACHABLE_CODES: Readonly<Record<string, number>> = {
  net_unreachable: 0,
  host_unreachable: 1,
  protocol_unreachable: 2,
  port_unreachable: 3,
  frag_needed: 4,
  source_route_failed: 5,
  net_prohibited: 9,
  host_prohibited: 10,
  prohibited: 13,
};

const ICMP_TIME_EXCEEDED_CODES: Readonly<Record<string, number>> = { ttl_exceeded: 0, ttl: 0, frag_reassembly: 1 };

/** The ICMP error report for an inbound ICMP line, or "unsupported: ..." for an unknown code. */
export function inboundIcmp(spec: IcmpPacketSpec, ctx: InboundContext): IcmpErrorReport | string {
  const isUnreachable = spec.type === 'unreachable';
  const code = spec.code === undefined ? 0 : isUnreachable ? ICMP_UNREACHABLE_CODES[spec.code] : ICMP_TIME_EXCEEDED_CODES[spec.code];
  if (code === undefined) return `unsupported: ICMP ${spec.type} code '${spec.code}'`;
  const isn = ctx.localIsn ?? 0;
  const quotedSeq = spec.quoted === undefined ? isn : (spec.quoted.seqStart + isn) >>> 0;
  // The quoted header of a segment the local stack sent (local -> remote).
  const header = emitTcp(
    { sourcePort: ctx.localPort, destinationPort: ctx.remotePort, seq: quotedSeq, ack: 0, flags: 0x10, window: 0, urgent: 0, options: [] },
    new Uint8Array(0),
    ctx.local,
    ctx.remote,
  ) as Uint8Array;
  return {
    type: isUnreachable ? 'destination-unreachable' : 'time-exceeded',
    icmpType: isUnreachable ? 3 : 11,
    icmpCode: code,
    reporter: ctx.remote,
    originalSource: ctx.local,
    originalDestination: ctx.remote,
    originalProtocol: IpProtocol.TCP,
    originalPayload: header,
    ...(spec.mtu !== undefined ? { mtu: spec.mtu } : {}),
  };
}
