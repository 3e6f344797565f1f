// A VXLAN tunnel endpoint (VTEP, RFC 7348): a medium whose far side is a VXLAN segment
// reached over a real UDP socket (node:dgram; Node only, see the "./node" entry point). The
// switch or host attached to it has its Ethernet frames carried in UDP to port 4789 with a
// configurable VNI, so several netlayers processes, on one machine or many, and Linux
// `vxlan` devices can share one layer-2 segment.
//
// Forwarding follows section 4 and Linux's vxlan driver: a frame for a MAC learned from a
// remote VTEP goes to that VTEP alone; broadcast, multicast and unknown unicast are flooded
// to the static list of remote endpoints (Linux's all-zeros FDB entries) and, if one is
// configured, to an IPv4 multicast group (section 4.2, Linux's `group`). Learning maps each
// inner source MAC to the outer source address it came from (section 4.1), and entries age.
//
// Captures: every tunnelled frame is also traced as the outer frame the kernel puts on the
// wire for us (Ethernet / IPv4 / UDP with a real checksum / VXLAN / inner frame), on the
// VTEP's own node and interface "underlay", so a pcap opens in Wireshark decoded as VXLAN.
// The outer MAC addresses are placeholders (02:00 and the IPv4 address): the kernel's route
// chooses the real ones and we do not see them.

import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import {
  DropReason,
  InvalidArgumentError,
  IpProtocol,
  Ipv4Address,
  MacAddress,
  EtherType,
  createNodeContext,
  isWireError,
  parseDuration,
  type NodeContext,
  type SimulationContext,
} from '@netlayers/core';
import { VXLAN_PORT, assertVni, encapsulateVxlan, parseVxlan, buildEthernetFrame } from '@netlayers/link';
import { emitIpv4Header, makeIpv4Header } from '@netlayers/network';
import { emitUdpDatagram, UDP_HEADER_LENGTH } from '@netlayers/transport';
import { BoundaryMedium, type BoundaryOptions } from './boundary.ts';

export interface VxlanRemote {
  readonly address: string;
  /** UDP port of that VTEP (default: the endpoint's `port`). */
  readonly port?: number;
}

export interface VxlanOptions extends BoundaryOptions {
  /** The segment's VXLAN Network Identifier (24 bits). */
  readonly vni: number;
  /** Local IPv4 address to bind (a specific address: captures show it as the outer source). */
  readonly address: string;
  /** UDP port to bind and to send to (default 4789, RFC 7348 section 5). */
  readonly port?: number;
  /** Remote VTEPs that receive flooded frames (broadcast, multicast, unknown unicast). */
  readonly remotes?: readonly (string | VxlanRemote)[];
  /**
   * An IPv4 multicast group for flooding (RFC 7348 section 4.2, Linux's `group`): floods go
   * to it too, and floods sent to it are received, on the interface that has `address`.
   */
  readonly group?: string;
  /** Learn which VTEP each remote MAC is behind (default true, as Linux). */
  readonly learning?: boolean;
  /** How long a learned MAC stays (default '300s', as Linux's ageing). */
  readonly ageing?: string | number;
  /** Node name for the underlay's trace events and captures (default 'vtep'). */
  readonly name?: string;
}

export interface VxlanFdbEntry {
  readonly mac: string;
  readonly address: string;
  readonly port: number;
  /** Virtual time it was last seen. */
  readonly seen: number;
}

export interface VxlanCounters {
  /** VXLAN packets sent (a flooded frame counts once per remote). */
  packetsSent: number;
  packetsReceived: number;
  floods: number;
  /** Frames dropped before they reached the simulation because they were not VXLAN, or another VNI. */
  rejected: number;
}

interface Destination {
  readonly address: string;
  readonly port: number;
}

const UNDERLAY = 'underlay';

export class VxlanEndpoint extends BoundaryMedium {
  readonly vni: number;
  readonly address: Ipv4Address;
  readonly port: number;
  /** The VTEP's own node: underlay frames and rejected packets are traced here. */
  readonly context: NodeContext;
  readonly counters: VxlanCounters = { packetsSent: 0, packetsReceived: 0, floods: 0, rejected: 0 };
  private readonly remotes: Destination[];
  private readonly fdb = new Map<string, VxlanFdbEntry>();
  private readonly learning: boolean;
  private readonly ageing: number;
  private identification = 0;

  private readonly group: Destination | undefined;

  private constructor(private readonly socket: Socket, private readonly groupSocket: Socket | undefined, sim: SimulationContext, options: VxlanOptions) {
    super(`vxlan ${options.vni} ${options.address}`, sim.scheduler, options, 'vxlan');
    this.vni = options.vni;
    this.address = Ipv4Address.parse(options.address);
    this.port = options.port ?? VXLAN_PORT;
    this.learning = options.learning ?? true;
    this.ageing = parseDuration(options.ageing ?? '300s');
    this.context = createNodeContext(sim, options.name ?? 'vtep');
    this.remotes = (options.remotes ?? []).map((r) => {
      const remote = typeof r === 'string' ? { address: r } : r;
      Ipv4Address.parse(remote.address);
      return { address: remote.address, port: checkPort(remote.port ?? this.port) };
    });
    this.group = options.group === undefined ? undefined : { address: options.group, port: this.port };
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo, process.hrtime.bigint()));
    groupSocket?.on('message', (msg, rinfo) => this.onMessage(msg, rinfo, process.hrtime.bigint()));
  }

  /** Bind the UDP socket and start tunnelling. */
  static async open(sim: SimulationContext, options: VxlanOptions): Promise<VxlanEndpoint> {
    assertVni(options.vni);
    Ipv4Address.parse(options.address);
    const port = checkPort(options.port ?? VXLAN_PORT);
    if (options.group !== undefined) {
      const first = Number(options.group.split('.')[0]);
      if (!(first >= 224 && first <= 239)) throw new InvalidArgumentError('group', options.group, 'must be an IPv4 multicast address (224.0.0.0/4)');
      Ipv4Address.parse(options.group);
    }
    const socket = await bound(port, options.address);
    // Bursts of tunnelled frames queue here while the simulation runs.
    socket.setRecvBufferSize(8 << 20);
    socket.setSendBufferSize(8 << 20);
    let groupSocket: Socket | undefined;
    if (options.group !== undefined) {
      socket.setMulticastInterface(options.address);
      socket.setMulticastLoopback(false);
      // A socket bound to the group receives only what is sent to the group.
      groupSocket = await bound(port, options.group, true);
      groupSocket.addMembership(options.group, options.address);
    }
    return new VxlanEndpoint(socket, groupSocket, sim, options);
  }

  /** The learned MAC table (what `bridge fdb show dev vxlan0` lists for learned entries). */
  forwardingTable(): VxlanFdbEntry[] {
    return [...this.fdb.values()];
  }

  close(): void {
    this.socket.close();
    this.groupSocket?.close();
  }

  protected sendOut(body: Uint8Array): void {
    const destination = body.length >= 6 && (body[0]! & 1) === 0 ? this.lookup(body) : undefined;
    const packet = encapsulateVxlan({ vni: this.vni }, body);
    if (destination !== undefined) {
      this.send(packet, destination);
      return;
    }
    this.counters.floods++;
    for (const remote of this.remotes) this.send(packet, remote);
    if (this.group !== undefined) this.send(packet, this.group);
  }

  private lookup(body: Uint8Array): Destination | undefined {
    const entry = this.fdb.get(macKey(body, 0));
    if (entry === undefined) return undefined;
    if (this.scheduler.now() - entry.seen > this.ageing) {
      this.fdb.delete(entry.mac);
      return undefined;
    }
    return entry;
  }

  private send(packet: Uint8Array, to: Destination): void {
    this.counters.packetsSent++;
    this.traceUnderlay('tx', packet, this.address, this.port, to.address, to.port);
    this.socket.send(packet, to.port, to.address);
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo, arrival: bigint): void {
    const packet = parseVxlan(msg);
    if (isWireError(packet)) return this.reject(packet.reason, `from ${rinfo.address}:${rinfo.port}: ${packet.detail}`, msg.length);
    if (packet.vni !== this.vni) return this.reject(DropReason.NotForUs, `VNI ${packet.vni} from ${rinfo.address}, this segment is ${this.vni}`, msg.length);
    this.counters.packetsReceived++;
    this.traceUnderlay('rx', msg, Ipv4Address.parse(rinfo.address), rinfo.port, this.address.toString(), this.port);
    const inner = packet.payload;
    if (this.learning && (inner[6]! & 1) === 0) {
      const mac = macKey(inner, 6);
      const known = this.remotes.find((r) => r.address === rinfo.address);
      this.fdb.set(mac, { mac, address: rinfo.address, port: known?.port ?? this.port, seen: this.scheduler.now() });
    }
    this.receiveFromOutside(inner, arrival);
  }

  private reject(reason: DropReason, detail: string, length: number): void {
    this.counters.rejected++;
    this.context.tracer.drop('physical', 'vxlan', reason, detail, length, { iface: UNDERLAY });
  }

  /** The outer frame as the kernel sends it for us, for captures (only built when someone listens). */
  private traceUnderlay(action: 'tx' | 'rx', packet: Uint8Array, source: Ipv4Address, sourcePort: number, destination: string, destinationPort: number): void {
    const tracer = this.context.tracer;
    if (!tracer.active || !tracer.wants('frame')) return;
    const dst = Ipv4Address.parse(destination);
    const udpLength = UDP_HEADER_LENGTH + packet.length;
    const ip = new Uint8Array(20 + udpLength);
    emitIpv4Header(makeIpv4Header({ source, destination: dst, protocol: IpProtocol.UDP, payloadLength: udpLength, identification: this.identification++ & 0xffff }), ip);
    emitUdpDatagram({ sourcePort, destinationPort, payload: packet }, ip.subarray(20), source, dst);
    const frame = buildEthernetFrame({ destination: placeholderMac(dst), source: placeholderMac(source), etherType: EtherType.IPv4 }, ip);
    tracer.frame('physical', 'vxlan', UNDERLAY, action, frame);
  }
}

function bound(port: number, address: string, reuseAddr = false): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', reuseAddr });
  return new Promise<Socket>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

function checkPort(port: unknown): number {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError('port', port, 'must be a UDP port from 1 to 65535');
  return port;
}

function macKey(bytes: Uint8Array, offset: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + bytes[offset + i]!.toString(16).padStart(2, '0');
  return s;
}

/** 02:00:a.b.c.d — a locally administered stand-in for the outer MAC of `ip`. */
function placeholderMac(ip: Ipv4Address): MacAddress {
  const v = ip.value >>> 0;
  return MacAddress.parse(['02', '00', v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff].map((x) => (typeof x === 'string' ? x : x.toString(16).padStart(2, '0'))).join(':'));
}
