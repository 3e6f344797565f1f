// The IP boundary the runner stands at: an IpService (core's network contract, RFC 791
// addressing) under the transport being tested. What the transport sends is queued with the
// virtual time it left; what the script injects is handed to the transport's registered
// handler as a received IPv4 datagram, and ICMP lines become ICMP error reports (RFC 792,
// RFC 1122 §4.2.3.9) for the transport's error handler.

import {
  IpProtocol,
  Packet,
  type IcmpErrorHandler,
  type IcmpErrorReport,
  type IpProtocolHandler,
  type IpReceiveInfo,
  type IpSendOptions,
  type IpSendResult,
  type IpService,
  type Ipv4Address,
  type UnreachableCode,
} from '@netlayers/core';
import { emitIpv4 } from './wire.ts';

/** One datagram the stack under test sent. */
export interface Outbound {
  readonly time: number;
  readonly protocol: number;
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  /** The transport PDU (header first). */
  readonly bytes: Uint8Array;
  /** For ICMP the stack asked IP to send (sendUnreachable): its code. */
  readonly icmpUnreachableCode?: number;
}

export class ScriptIp implements IpService {
  private readonly handlers = new Map<number, { handler: IpProtocolHandler; onError: IcmpErrorHandler | undefined }>();
  readonly outbound: Outbound[] = [];

  constructor(
    readonly localAddress: Ipv4Address,
    private readonly now: () => number,
    readonly mtu = 1500,
  ) {}

  send(payload: Packet, options: IpSendOptions): IpSendResult {
    this.outbound.push({
      time: this.now(),
      protocol: options.protocol,
      source: options.source ?? this.localAddress,
      destination: options.destination,
      bytes: payload.toBytes(),
    });
    return { ok: true };
  }

  registerProtocol(protocol: number, handler: IpProtocolHandler, onError?: IcmpErrorHandler): void {
    this.handlers.set(protocol, { handler, onError });
  }

  sourceAddressFor(_destination: Ipv4Address): Ipv4Address | null {
    return this.localAddress;
  }

  isLocalAddress(address: Ipv4Address): boolean {
    return address.equals(this.localAddress);
  }

  mtuTowards(_destination: Ipv4Address): number {
    return this.mtu;
  }

  sendUnreachable(info: IpReceiveInfo, code: UnreachableCode): void {
    this.outbound.push({ time: this.now(), protocol: IpProtocol.ICMP, source: this.localAddress, destination: info.source, bytes: info.datagram.slice(), icmpUnreachableCode: code });
  }

  /** Deliver a transport PDU from `source` as if IP had received it. Returns false when no transport handles the protocol. */
  deliver(protocol: number, pdu: Uint8Array, source: Ipv4Address): boolean {
    const entry = this.handlers.get(protocol);
    if (entry === undefined) return false;
    const datagram = emitIpv4(protocol, source, this.localAddress, pdu);
    entry.handler(Packet.wrap(pdu.slice()), { source, destination: this.localAddress, protocol, ttl: 64, tos: 0, iface: 'eth0', datagram });
    return true;
  }

  /** Deliver an ICMP error report to the transport of `report.originalProtocol`. */
  deliverIcmp(report: IcmpErrorReport): boolean {
    const entry = this.handlers.get(report.originalProtocol);
    if (entry?.onError === undefined) return false;
    entry.onError(report);
    return true;
  }
}
