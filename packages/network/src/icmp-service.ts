// ICMP in the IPv4 layer (RFC 792, RFC 1122 §3.2.2): answers echo requests, hands echo
// replies and errors about our pings to the pinger, delivers errors about other datagrams
// we sent to the protocol that sent them (RFC 1122 §4.1.3.3, §4.2.3.9), and builds the
// errors the IP layer decides are due, subject to the RFC 1122 §3.2.2 rules and a rate limit
// (RFC 1812 §4.3.2.8).

import {
  DropReason,
  IpProtocol,
  Packet,
  isWireError,
  type IcmpErrorHandler,
  type IcmpErrorReport,
  type IpReceiveInfo,
  type IpSendOptions,
  type IpSendResult,
  type Ipv4Address,
  type NodeContext,
  type Timers,
} from '@netlayers/core';
import { IcmpRateLimiter, icmpErrorForbidden, type IcmpRateLimit, type OffendingDatagram } from './icmp-errors.ts';
import {
  IcmpType,
  emitIcmp,
  icmpLength,
  parseIcmp,
  parseQuotedDatagram,
  quoteForIcmpError,
  type IcmpErrorMessage,
  type IcmpMessage,
} from './icmp-wire.ts';
import { traceNote } from './ipv4-trace.ts';
import type { Ipv4Header } from './ipv4-wire.ts';
import { Pinger, type EchoSender } from './ping.ts';

/** The error the IP layer wants sent: ICMP type and code, plus the next-hop MTU for fragmentation needed. */
export interface IcmpErrorToSend {
  readonly type: number;
  readonly code: number;
  readonly nextHopMtu?: number;
  readonly pointer?: number;
}

/** What the ICMP service needs of its IP layer. */
export interface IcmpHost {
  send(payload: Packet, options: IpSendOptions): IpSendResult;
  mtuTowards(destination: Ipv4Address): number;
  isOwnAddress(address: Ipv4Address): boolean;
  isBroadcastAddress(address: Ipv4Address): boolean;
  protocolEntry(protocol: number): { readonly onError: IcmpErrorHandler | undefined } | undefined;
  readonly stats: { icmpErrorsSent: number };
}

/** Type of service for ICMP errors: precedence internetwork control (RFC 1812 §4.3.2.5). */
const ICMP_ERROR_TOS = 0xc0;

export class IcmpService implements EchoSender {
  readonly pinger: Pinger;
  readonly timers: Timers;
  private readonly limiter: IcmpRateLimiter;

  constructor(
    private readonly node: NodeContext,
    private readonly ip: IcmpHost,
    rateLimit: IcmpRateLimit,
  ) {
    this.timers = node.scheduler;
    this.limiter = new IcmpRateLimiter(rateLimit);
    this.pinger = new Pinger(this, 1);
  }

  // ---- EchoSender ---------------------------------------------------------------------

  sendEchoRequest(destination: Ipv4Address, identifier: number, sequence: number, data: Uint8Array, ttl: number | undefined, dontFragment: boolean): IpSendResult {
    const packet = encodePacket({ kind: 'echo-request', code: 0, identifier, sequence, data });
    const options: IpSendOptions = ttl === undefined
      ? { destination, protocol: IpProtocol.ICMP, dontFragment }
      : { destination, protocol: IpProtocol.ICMP, dontFragment, ttl };
    return this.ip.send(packet, options);
  }

  mtuTowards(destination: Ipv4Address): number {
    return this.ip.mtuTowards(destination);
  }

  // ---- receiving ----------------------------------------------------------------------

  /** An ICMP message delivered to this node. `toBroadcast`: it came to a broadcast address (IP or link). */
  receive(bytes: Uint8Array, header: Ipv4Header, info: IpReceiveInfo, toBroadcast: boolean): void {
    const message = parseIcmp(bytes);
    if (isWireError(message)) {
      this.node.tracer.drop('network', 'icmp', message.reason, message.detail, bytes.length, { iface: info.iface });
      return;
    }
    switch (message.kind) {
      case 'echo-request':
        if (toBroadcast) {
          this.node.tracer.drop('network', 'icmp', DropReason.Filtered, 'echo request to a broadcast address ignored (RFC 1122 §3.2.2.6)', bytes.length, { iface: info.iface });
          return;
        }
        if (header.source.isUnspecified) {
          this.node.tracer.drop('network', 'icmp', DropReason.Malformed, 'echo request from 0.0.0.0 cannot be answered', bytes.length, { iface: info.iface });
          return;
        }
        this.ip.send(
          encodePacket({ kind: 'echo-reply', code: 0, identifier: message.identifier, sequence: message.sequence, data: message.data }),
          { destination: header.source, source: header.destination, protocol: IpProtocol.ICMP, tos: header.tos },
        );
        return;
      case 'echo-reply':
        if (!this.pinger.handleEchoReply(header.source, message.identifier, message.sequence, header.ttl, message.data.length)) {
          this.node.tracer.drop('network', 'icmp', DropReason.NoSocket, `echo reply id ${message.identifier} seq ${message.sequence} matches no ping`, bytes.length, { iface: info.iface });
        }
        return;
      case 'destination-unreachable':
      case 'time-exceeded':
      case 'parameter-problem':
      case 'source-quench':
        this.receiveError(message, header.source, bytes.length, info.iface);
        return;
      case 'redirect':
      case 'other':
        if (this.node.tracer.active) traceNote(this.node.tracer, `ICMP type ${bytes[0]} from ${header.source} ignored`, info.iface, 'icmp');
        return;
    }
  }

  private receiveError(message: Exclude<IcmpErrorMessage, { kind: 'redirect' }>, reporter: Ipv4Address, length: number, iface: string): void {
    const quoted = parseQuotedDatagram(message.original);
    if (isWireError(quoted)) {
      this.node.tracer.drop('network', 'icmp', quoted.reason, `ICMP ${message.kind}: ${quoted.detail}`, length, { iface });
      return;
    }
    if (!this.ip.isOwnAddress(quoted.source) && !quoted.source.isUnspecified) {
      this.node.tracer.drop('network', 'icmp', DropReason.NotForUs, `ICMP ${message.kind} quotes a datagram from ${quoted.source}, not from us`, length, { iface });
      return;
    }
    const icmpType = message.kind === 'destination-unreachable' ? IcmpType.DestinationUnreachable
      : message.kind === 'time-exceeded' ? IcmpType.TimeExceeded
        : message.kind === 'parameter-problem' ? IcmpType.ParameterProblem
          : IcmpType.SourceQuench;
    const mtu = message.kind === 'destination-unreachable' && message.code === 4 && message.nextHopMtu > 0 ? message.nextHopMtu : undefined;
    if (quoted.protocol === IpProtocol.ICMP) {
      const echo = quoted.payload;
      if (echo.length >= 8 && echo[0] === IcmpType.EchoRequest) {
        const identifier = (echo[4]! << 8) | echo[5]!;
        const sequence = (echo[6]! << 8) | echo[7]!;
        if (this.pinger.handleError(reporter, icmpType, message.code, identifier, sequence, mtu)) return;
      }
    }
    const entry = this.ip.protocolEntry(quoted.protocol);
    if (entry?.onError === undefined) {
      this.node.tracer.drop('network', 'icmp', DropReason.NoSocket, `ICMP ${message.kind} about protocol ${quoted.protocol} has no one to tell`, length, { iface });
      return;
    }
    const report: IcmpErrorReport = {
      type: message.kind,
      icmpType,
      icmpCode: message.code,
      reporter,
      originalSource: quoted.source,
      originalDestination: quoted.destination,
      originalProtocol: quoted.protocol,
      originalPayload: quoted.payload,
      ...(mtu === undefined ? {} : { mtu }),
    };
    entry.onError(report);
  }

  // ---- sending errors -----------------------------------------------------------------

  /** Send `error` about `offending` (whose bytes are `datagram`) unless RFC 1122 §3.2.2 or the rate limit forbids it. */
  sendError(error: IcmpErrorToSend, offending: Omit<OffendingDatagram, 'linkBroadcast' | 'destinationIsBroadcast'>, datagram: Uint8Array, linkBroadcast: boolean): void {
    const forbidden = icmpErrorForbidden({ ...offending, linkBroadcast, destinationIsBroadcast: this.ip.isBroadcastAddress(offending.destination) });
    if (forbidden !== null) {
      if (this.node.tracer.active) {
        traceNote(this.node.tracer, `no ICMP error (type ${error.type} code ${error.code}) for ${offending.source} > ${offending.destination}: ${forbidden}`, undefined, 'icmp');
      }
      return;
    }
    if (!this.limiter.take(this.timers.now())) {
      this.node.tracer.drop('network', 'icmp', DropReason.RateLimited, `ICMP error (type ${error.type} code ${error.code}) to ${offending.source} suppressed by the rate limit`, 0);
      return;
    }
    const original = quoteForIcmpError(datagram);
    let message: IcmpMessage;
    switch (error.type) {
      case IcmpType.DestinationUnreachable:
        message = { kind: 'destination-unreachable', code: error.code, nextHopMtu: error.nextHopMtu ?? 0, original };
        break;
      case IcmpType.TimeExceeded:
        message = { kind: 'time-exceeded', code: error.code, original };
        break;
      case IcmpType.ParameterProblem:
        message = { kind: 'parameter-problem', code: error.code, pointer: error.pointer ?? 0, original };
        break;
      default:
        message = { kind: 'source-quench', code: error.code, original };
        break;
    }
    const sent = this.ip.send(encodePacket(message), { destination: offending.source, protocol: IpProtocol.ICMP, tos: ICMP_ERROR_TOS });
    if (sent.ok) this.ip.stats.icmpErrorsSent++;
  }
}

function encodePacket(message: IcmpMessage): Packet {
  const packet = Packet.alloc(icmpLength(message));
  emitIcmp(message, packet.bytes);
  return packet;
}
