// A recording IpService (the network contract in @netlayers/core) for segment-level tests of
// a transport: it keeps every datagram the transport sends (for the test to read) and hands
// bytes the test gives it to the handler the transport registered, as if they arrived from
// `source`. No delivery happens by itself; `onSend` lets a test wire two of them together.

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
  /** The transport's bytes (its header and payload), as handed to send(). */
  readonly bytes: Uint8Array;
  readonly options: IpSendOptions;
}

export class RecordingIp implements IpService {
  handler: IpProtocolHandler | undefined;
  errorHandler: IcmpErrorHandler | undefined;
  /** The protocol number the transport registered. */
  protocol: number | undefined;
  readonly sent: SentDatagram[] = [];
  /** Called for every datagram sent (a two-endpoint link hooks in here). */
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

  registerProtocol(protocol: number, handler: IpProtocolHandler, onError?: IcmpErrorHandler): void {
    this.protocol = protocol;
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

  /** Hand received transport bytes from `source` to the registered handler. */
  deliver(bytes: Uint8Array, source: Ipv4Address, destination: Ipv4Address = this.address): void {
    if (this.handler === undefined) throw new Error('no protocol handler registered: the transport never called registerProtocol');
    this.handler(Packet.wrap(bytes), { source, destination, protocol: this.protocol ?? 6, ttl: 64, tos: 0, iface: 'eth0', datagram: bytes });
  }

  /** Hand an ICMP error report to the transport. */
  icmp(report: IcmpErrorReport): void {
    this.errorHandler?.(report);
  }
}
