// Stack descriptions: a host or router is built from one factory per role, so swapping a
// layer is one entry in a script. The defaults are our own layers; a student's layer goes
// in the same slot and nothing above or below can tell the difference (DESIGN.md, "swap").

import type {
  DatagramTransport,
  IpService,
  LinkInterface,
  MacAddress,
  NetworkConfigurator,
  NodeContext,
  PhyPort,
  StreamTransport,
  Ipv4Address,
  Ipv4Cidr,
  RoutingTable,
} from '@netlayers/core';
import { EthernetInterface } from '@netlayers/link';
import { Ipv4Layer, type PingOptions, type PingResult, type TracerouteOptions, type TracerouteHop } from '@netlayers/network';
import { TcpLayer, UdpLayer, type TcpOptions } from '@netlayers/transport';

/** What the composition needs of a network layer: the IpService contract plus configuration. */
export interface NetworkLayer extends IpService, NetworkConfigurator {
  addInterface(link: LinkInterface, cidr?: Ipv4Cidr | string | null): void;
  addRoute(prefix: string | Ipv4Cidr, nextHop: string | Ipv4Address | null, iface?: string, metric?: number): void;
  setDefaultGateway(gateway: Ipv4Address | string, iface?: string): void;
  readonly routes: RoutingTable;
  /** ICMP echo; optional for a swapped-in network layer. */
  ping?(destination: Ipv4Address | string, options?: PingOptions): Promise<PingResult>;
  traceroute?(destination: Ipv4Address | string, options?: TracerouteOptions): Promise<TracerouteHop[]>;
}

export interface LinkFactoryOptions {
  readonly name: string;
  readonly mac?: MacAddress;
}

/** One factory per role; leave a role out to get the default. */
export interface StackSpec {
  /** Link layer on a physical port (default: Ethernet II + ARP). */
  link?: (node: NodeContext, port: PhyPort, options: LinkFactoryOptions) => LinkInterface;
  /** Network layer (default: IPv4 + ICMP). */
  network?: (node: NodeContext, options: { forwarding: boolean }) => NetworkLayer;
  /** Reliable stream transport (default: TCP). */
  stream?: (node: NodeContext, ip: IpService) => StreamTransport;
  /** Datagram transport (default: UDP). */
  datagram?: (node: NodeContext, ip: IpService) => DatagramTransport;
  /** Names shown by describeStack, per role, for the components you swapped in. */
  labels?: Partial<Record<'link' | 'network' | 'stream' | 'datagram', string>>;
}

export interface ResolvedStack {
  link: NonNullable<StackSpec['link']>;
  network: NonNullable<StackSpec['network']>;
  stream: NonNullable<StackSpec['stream']>;
  datagram: NonNullable<StackSpec['datagram']>;
  labels: Record<'link' | 'network' | 'stream' | 'datagram', string>;
}

export function resolveStack(spec: StackSpec = {}, tcpOptions?: TcpOptions): ResolvedStack {
  return {
    link: spec.link ?? ((node, port, options) => new EthernetInterface(node, port, options)),
    network: spec.network ?? ((node, options) => new Ipv4Layer(node, options)),
    stream: spec.stream ?? ((node, ip) => new TcpLayer(node, ip, tcpOptions)),
    datagram: spec.datagram ?? ((node, ip) => new UdpLayer(node, ip)),
    labels: {
      link: spec.labels?.link ?? (spec.link ? 'custom link layer' : 'Ethernet II + ARP (RFC 826)'),
      network: spec.labels?.network ?? (spec.network ? 'custom network layer' : 'IPv4 (RFC 791) + ICMP (RFC 792)'),
      stream: spec.labels?.stream ?? (spec.stream ? 'custom stream transport' : 'TCP (RFC 9293)'),
      datagram: spec.labels?.datagram ?? (spec.datagram ? 'custom datagram transport' : 'UDP (RFC 768)'),
    },
  };
}
