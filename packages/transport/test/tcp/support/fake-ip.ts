// A fake IpService for TCP tests: records what the layer sends and lets a test deliver
// bytes to the registered handler. It stands in for @netlayers/network, which a transport
// test must not import.

import {
  Ipv4Address,
  Packet,
  type IcmpErrorHandler,
  type IcmpErrorReport,
  type IpProtocolHandler,
  type IpSendOptions,
  type IpSendResult,
  type IpService,
  type UnreachableCode,
} from '@netlayers/core';

export interface SentDatagram {
  readonly bytes: Uint8Array;
  readonly options: IpSendOptions;
}

export class FakeIp implements IpService {
  handler: IpProtocolHandler | undefined;
  errorHandler: IcmpErrorHandler | undefined;
  readonly sent: SentDatagram[] = [];
  /** Called for every datagram sent (the two-endpoint link hooks in here). */
  onSend: ((datagram: SentDatagram) => void) | undefined;
  unreachableSent = 0;
  /** Record at most this many sent datagrams (a long end-to-end run would otherwise keep them all). */
  keepLimit = Number.POSITIVE_INFINITY;

  constructor(
    readonly address: Ipv4Address,
    readonly mtu = 1500,
  ) {}

  send(payload: Packet, options: IpSendOptions): IpSendResult {
    const datagram = { bytes: payload.toBytes(), options };
    if (this.sent.length < this.keepLimit) this.sent.push(datagram);
    this.onSend?.(datagram);
    return { ok: true };
  }

  registerProtocol(_protocol: number, handler: IpProtocolHandler, onError?: IcmpErrorHandler): void {
    this.handler = handler;
    this.errorHandler = onError;
  }

  sourceAddressFor(_destination: Ipv4Address): Ipv4Address | null {
    return this.address;
  }

  isLocalAddress(address: Ipv4Address): boolean {
    return address.equals(this.address);
  }

  mtuTowards(_destination: Ipv4Address): number {
    return this.mtu;
  }

  sendUnreachable(_info: unknown, _code: UnreachableCode): void {
    this.unreachableSent++;
  }

  /** Hand received TCP bytes from `source` to the layer. */
  deliver(bytes: Uint8Array, source: Ipv4Address, destination: Ipv4Address = this.address): void {
    if (this.handler === undefined) throw new Error('no protocol handler registered');
    this.handler(Packet.wrap(bytes), { source, destination, protocol: 6, ttl: 64, tos: 0, iface: 'eth0', datagram: bytes });
  }

  /** Hand an ICMP error report to the layer. */
  icmp(report: IcmpErrorReport): void {
    this.errorHandler?.(report);
  }
}
