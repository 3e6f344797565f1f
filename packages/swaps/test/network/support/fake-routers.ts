// Fakes around the distance-vector router, so its tests need no other layer package: a
// NetworkConfigurator over @netlayers/testing's FakeRoutingTable (longest-prefix match), and a UDP-like
// DatagramTransport that carries datagrams over fake links between router interfaces,
// through the scheduler. Links can fail silently or with the interfaces going down.

import { EventEmitter } from 'eventemitter3';
import {
  Ipv4Address,
  Ipv4Cidr,
  SocketError,
  createNodeContext,
  createSimulationContext,
  type DatagramBindOptions,
  type DatagramRemote,
  type DatagramSocket,
  type DatagramSocketEvents,
  type DatagramTransport,
  type IpInterfaceInfo,
  type NetworkConfigurator,
  type NodeContext,
  type SimulationContext,
  type TraceEvent,
} from '@netlayers/core';
import { FakeRoutingTable } from '@netlayers/testing';

interface FakeInterface {
  name: string;
  cidr: Ipv4Cidr;
  up: boolean;
  link: FakeWire | null;
}

export class FakeRouter implements NetworkConfigurator {
  readonly routes = new FakeRoutingTable();
  readonly udp: FakeUdp;
  readonly ifaces: FakeInterface[] = [];
  private readonly listeners: ((iface: string, up: boolean) => void)[] = [];

  constructor(readonly node: NodeContext) {
    this.udp = new FakeUdp(this);
  }

  interfaces(): readonly IpInterfaceInfo[] {
    return this.ifaces.map((i) => ({ name: i.name, cidr: i.cidr, mtu: 1500, isUp: i.up }));
  }
  setInterfaceAddress(iface: string, cidr: Ipv4Cidr | null): void {
    const found = this.ifaces.find((i) => i.name === iface);
    if (found !== undefined && cidr !== null) found.cidr = cidr;
  }
  onInterfaceChange(listener: (iface: string, up: boolean) => void): void {
    this.listeners.push(listener);
  }
  addInterface(name: string, cidr: string): FakeInterface {
    const iface: FakeInterface = { name, cidr: Ipv4Cidr.parse(cidr), up: true, link: null };
    this.ifaces.push(iface);
    this.routes.add({ prefix: Ipv4Cidr.of(iface.cidr.network, iface.cidr.prefixLength), nextHop: null, iface: name, metric: 0, source: 'connected' });
    return iface;
  }
  setInterfaceUp(name: string, up: boolean): void {
    const iface = this.ifaces.find((i) => i.name === name)!;
    if (iface.up === up) return;
    iface.up = up;
    const prefix = Ipv4Cidr.of(iface.cidr.network, iface.cidr.prefixLength);
    if (up) this.routes.add({ prefix, nextHop: null, iface: name, metric: 0, source: 'connected' });
    else this.routes.remove(prefix, 'connected');
    for (const l of this.listeners) l(name, up);
  }
  /** The route the forwarding table would use, as "via 10.0.1.2 eth0 metric 2" or "connected eth0". */
  routeTo(destination: string): string {
    const r = this.routes.lookup(Ipv4Address.parse(destination));
    if (r === undefined) return 'none';
    return r.nextHop === null ? `connected ${r.iface}` : `via ${r.nextHop} ${r.iface} metric ${r.metric}`;
  }
}

/** A wire between two router interfaces; `working` false loses everything silently. */
export class FakeWire {
  working = true;
  constructor(
    readonly ends: readonly [{ router: FakeRouter; iface: FakeInterface }, { router: FakeRouter; iface: FakeInterface }],
  ) {}
  peerOf(router: FakeRouter): { router: FakeRouter; iface: FakeInterface } {
    return this.ends[0].router === router ? this.ends[1] : this.ends[0];
  }
}

class FakeUdpSocket extends EventEmitter<DatagramSocketEvents> implements DatagramSocket {
  closed = false;
  constructor(
    private readonly owner: FakeUdp,
    readonly localAddress: Ipv4Address,
    readonly localPort: number,
    readonly iface: string | undefined,
  ) {
    super();
  }
  send(data: Uint8Array | string, port: number, address: Ipv4Address | string): void {
    if (this.closed) throw new SocketError('ERR_SOCKET_CLOSED', 'socket is closed');
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data.slice();
    this.owner.transmit(this, bytes, port, Ipv4Address.from(address));
  }
  setBroadcast(): void {}
  close(): void {
    this.closed = true;
    this.owner.release(this);
  }
}

/** UDP over the fake wires: a socket bound to an interface sends to the peer on that wire. */
export class FakeUdp implements DatagramTransport {
  readonly name = 'fake-udp';
  readonly sockets: FakeUdpSocket[] = [];
  /** Every datagram this router puts on a wire: what tests watch. */
  readonly taps: ((iface: string, bytes: Uint8Array) => void)[] = [];
  constructor(private readonly router: FakeRouter) {}

  bind(options: DatagramBindOptions = {}): DatagramSocket {
    const port = options.port ?? 40000 + this.sockets.length;
    if (this.sockets.some((s) => s.localPort === port && s.iface === options.iface)) throw new SocketError('EADDRINUSE', `port ${port}`);
    const socket = new FakeUdpSocket(this, Ipv4Address.ANY, port, options.iface);
    this.sockets.push(socket);
    return socket;
  }
  release(socket: FakeUdpSocket): void {
    this.sockets.splice(this.sockets.indexOf(socket), 1);
  }
  transmit(from: FakeUdpSocket, bytes: Uint8Array, port: number, _destination: Ipv4Address): void {
    const iface = this.router.ifaces.find((i) => i.name === from.iface);
    if (iface === undefined || !iface.up || iface.link === null) return;
    for (const tap of this.taps) tap(iface.name, bytes);
    const wire = iface.link;
    const peer = wire.peerOf(this.router);
    const remote: DatagramRemote = { address: iface.cidr.address, port: from.localPort };
    this.router.node.scheduler.schedule(1_000_000, () => {
      if (!wire.working || !iface.up || !peer.iface.up) return;
      for (const socket of peer.router.udp.sockets) {
        if (socket.localPort === port && (socket.iface === undefined || socket.iface === peer.iface.name)) socket.emit('message', bytes.slice(), remote);
      }
    });
  }
}

/** A small network of fake routers joined by /24 wires. */
export class FakeRipLab {
  readonly sim: SimulationContext;
  readonly events: TraceEvent[] = [];
  readonly routers = new Map<string, FakeRouter>();
  private readonly wires = new Map<string, FakeWire>();
  private subnet = 1;

  constructor(seed = 1) {
    this.sim = createSimulationContext(seed);
    this.sim.trace.on('event', (e) => this.events.push(e));
  }

  router(name: string): FakeRouter {
    let r = this.routers.get(name);
    if (r === undefined) {
      r = new FakeRouter(createNodeContext(this.sim, name));
      this.routers.set(name, r);
    }
    return r;
  }

  /** Join two routers with a new 10.0.N.0/24 wire; `a` gets .1 and `b` .2. Returns the wire's name "a-b". */
  link(a: string, b: string): FakeWire {
    const n = this.subnet++;
    const ra = this.router(a);
    const rb = this.router(b);
    const ia = ra.addInterface(`eth${ra.ifaces.length}`, `10.0.${n}.1/24`);
    const ib = rb.addInterface(`eth${rb.ifaces.length}`, `10.0.${n}.2/24`);
    const wire = new FakeWire([{ router: ra, iface: ia }, { router: rb, iface: ib }]);
    ia.link = wire;
    ib.link = wire;
    this.wires.set(`${a}-${b}`, wire);
    return wire;
  }

  /** A stub network on `router` with no neighbours (a LAN of hosts): 192.168.N.0/24. */
  stub(router: string, cidr: string): void {
    const r = this.router(router);
    r.addInterface(`eth${r.ifaces.length}`, cidr);
  }

  wire(name: string): FakeWire {
    return this.wires.get(name)!;
  }

  /** Fail a wire with both interfaces going down (carrier lost): routers notice at once. */
  cut(name: string): void {
    const wire = this.wire(name);
    wire.working = false;
    for (const end of wire.ends) end.router.setInterfaceUp(end.iface.name, false);
  }

  restore(name: string): void {
    const wire = this.wire(name);
    wire.working = true;
    for (const end of wire.ends) end.router.setInterfaceUp(end.iface.name, true);
  }

  runFor(duration: number): void {
    this.sim.scheduler.runFor(duration);
  }
}
