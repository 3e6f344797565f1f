// A UDP socket (RFC 768 ports; behaviour after Linux udp(7) and Node's dgram): bound to a
// port, optionally an address and an interface; sends with range checks, broadcast only
// after SO_BROADCAST, and reports ICMP errors about its datagrams as 'error' events
// (RFC 1122 §4.1.3.3: UDP passes ICMP errors to the application).

import { EventEmitter } from 'eventemitter3';
import {
  InvalidArgumentError,
  Ipv4Address,
  SocketError,
  assertPort,
  type DatagramSocket,
  type DatagramSocketEvents,
} from '@netlayers/core';
import { UDP_MAX_PAYLOAD } from './wire.ts';

/** What a socket needs from the layer that owns it. */
export interface UdpSocketOwner {
  sendFrom(socket: UdpSocket, payload: Uint8Array, port: number, address: Ipv4Address): void;
  release(socket: UdpSocket): void;
}

const encoder = new TextEncoder();

export class UdpSocket extends EventEmitter<DatagramSocketEvents> implements DatagramSocket {
  private broadcast = false;
  private open = true;
  /** Datagrams sent and received, and their payload bytes. */
  datagramsSent = 0;
  datagramsReceived = 0;
  bytesWritten = 0;
  bytesRead = 0;

  constructor(
    private readonly owner: UdpSocketOwner,
    readonly localAddress: Ipv4Address,
    readonly localPort: number,
    /** The interface the socket is bound to (SO_BINDTODEVICE), if any. */
    readonly iface: string | undefined,
  ) {
    super();
  }

  get closed(): boolean {
    return !this.open;
  }

  get broadcastEnabled(): boolean {
    return this.broadcast;
  }

  send(data: Uint8Array | string, port: number, address: Ipv4Address | string): void {
    if (!this.open) throw new SocketError('ERR_SOCKET_CLOSED', `send on closed UDP socket ${this.localAddress}:${this.localPort}`);
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      throw new InvalidArgumentError('data', data, 'must be a Uint8Array or a string');
    }
    assertPort(port, 'port');
    const destination = Ipv4Address.from(address);
    const payload = typeof data === 'string' ? encoder.encode(data) : data;
    if (payload.length > UDP_MAX_PAYLOAD) {
      throw new SocketError('EMSGSIZE', `datagram of ${payload.length} bytes exceeds the UDP maximum of ${UDP_MAX_PAYLOAD}`);
    }
    if (destination.isBroadcast && !this.broadcast) {
      throw new SocketError('EACCES', `sending to broadcast address ${destination} needs setBroadcast(true)`);
    }
    this.owner.sendFrom(this, payload, port, destination);
  }

  setBroadcast(enable: boolean): void {
    this.broadcast = enable === true;
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.owner.release(this);
  }

  /** @internal the layer delivers a datagram. */
  deliver(payload: Uint8Array, address: Ipv4Address, port: number): void {
    this.datagramsReceived++;
    this.bytesRead += payload.length;
    this.emit('message', payload, { address, port });
  }

  /** @internal the layer counted a datagram sent. */
  noteSent(length: number): void {
    this.datagramsSent++;
    this.bytesWritten += length;
  }
}
