// A reference DatagramTransport (core's datagram contract, UDP-like: RFC 768 semantics
// without the bytes) in memory, for tests of what sits on a datagram transport (DNS, DHCP):
// members joined through the simulation's scheduler with a fixed one-way delay; unicast to
// a member's current address, broadcast (255.255.255.255, after setBroadcast) to every other
// member; a port nobody bound gives ECONNREFUSED back to the sender (as ICMP port
// unreachable would, RFC 1122 §4.1.3.1). Every datagram is logged, and a filter can lose any.

import { EventEmitter } from 'eventemitter3';
import {
  Ipv4Address,
  SocketError,
  type DatagramBindOptions,
  type DatagramRemote,
  type DatagramSocket,
  type DatagramSocketEvents,
  type DatagramTransport,
  type Scheduler,
} from '@netlayers/core';

export interface DatagramInFlight {
  readonly from: DatagramRemote;
  readonly to: DatagramRemote;
  readonly data: Uint8Array;
}

export interface FakeDatagramNetworkOptions {
  /** One-way delay, ns (default 1 ms). */
  readonly delay?: number;
}

export class FakeDatagramNetwork {
  /** Return false to lose a datagram (it is still logged in `datagrams`). */
  filter: (datagram: DatagramInFlight) => boolean = () => true;
  /** Every datagram sent, lost or not, in order. */
  readonly datagrams: DatagramInFlight[] = [];
  private readonly members: FakeDatagramTransport[] = [];

  constructor(
    readonly scheduler: Scheduler,
    readonly options: FakeDatagramNetworkOptions = {},
  ) {}

  get delay(): number {
    return this.options.delay ?? 1_000_000;
  }

  /** A member at `address`; `null` for a host with no address yet (set `transport.address` later, e.g. after DHCP). */
  transport(address: string | Ipv4Address | null): FakeDatagramTransport {
    const transport = new FakeDatagramTransport(this, address === null ? Ipv4Address.ANY : Ipv4Address.from(address));
    this.members.push(transport);
    return transport;
  }

  /** The member whose address is `address` (never an unconfigured one). */
  memberByAddress(address: Ipv4Address): FakeDatagramTransport | undefined {
    return this.members.find((m) => !m.address.isUnspecified && m.address.equals(address));
  }

  /** @internal */
  send(sender: FakeDatagramSocket, datagram: DatagramInFlight): void {
    this.datagrams.push(datagram);
    if (!this.filter(datagram)) return;
    const destination = datagram.to.address;
    this.scheduler.schedule(this.delay, () => {
      const targets = destination.isBroadcast ? this.members.filter((m) => m !== sender.transport) : [this.memberByAddress(destination)].filter((m) => m !== undefined);
      let delivered = false;
      for (const target of targets) {
        const socket = target.sockets.get(datagram.to.port);
        if (socket === undefined || socket.closed) continue;
        delivered = true;
        socket.emit('message', datagram.data, datagram.from);
      }
      if (!delivered && !destination.isBroadcast && targets.length > 0) {
        this.scheduler.schedule(this.delay, () => {
          if (!sender.closed) sender.emit('error', new SocketError('ECONNREFUSED', `port unreachable ${destination}:${datagram.to.port}`));
        });
      }
    });
  }
}

export class FakeDatagramSocket extends EventEmitter<DatagramSocketEvents> implements DatagramSocket {
  closed = false;
  broadcast = false;
  constructor(
    readonly transport: FakeDatagramTransport,
    private readonly boundAddress: Ipv4Address,
    readonly localPort: number,
    readonly iface: string | undefined,
  ) {
    super();
  }

  get localAddress(): Ipv4Address {
    return this.boundAddress;
  }

  setBroadcast(enable: boolean): void {
    this.broadcast = enable;
  }

  send(data: Uint8Array | string, port: number, address: Ipv4Address | string): void {
    if (this.closed) throw new SocketError('ERR_SOCKET_CLOSED', 'socket is closed');
    const destination = Ipv4Address.from(address);
    if (destination.isBroadcast && !this.broadcast) throw new SocketError('EACCES', 'broadcast not enabled (setBroadcast)');
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data.slice();
    const from = { address: this.boundAddress.isUnspecified ? this.transport.address : this.boundAddress, port: this.localPort };
    this.transport.network.send(this, { from, to: { address: destination, port }, data: bytes });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.sockets.delete(this.localPort);
    this.emit('close');
  }
}

export class FakeDatagramTransport implements DatagramTransport {
  readonly name = 'fake-udp';
  /** Bound sockets by port. */
  readonly sockets = new Map<number, FakeDatagramSocket>();
  private nextPort = 49152;
  constructor(
    readonly network: FakeDatagramNetwork,
    /** This member's address; set it when the address changes. */
    public address: Ipv4Address,
  ) {}

  bind(options: DatagramBindOptions = {}): FakeDatagramSocket {
    const port = options.port || this.nextPort++;
    if (this.sockets.has(port)) throw new SocketError('EADDRINUSE', `port ${port} is in use`);
    const address = options.address === undefined ? Ipv4Address.ANY : Ipv4Address.from(options.address);
    const socket = new FakeDatagramSocket(this, address, port, options.iface);
    this.sockets.set(port, socket);
    return socket;
  }
}
