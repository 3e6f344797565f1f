// A host or router: a network layer, a stream and a datagram transport, and one link-layer
// interface per connection, each built from the node's stack description. A router is a
// host with forwarding on (RFC 1812), so it can also run UDP services such as routing.

import {
  createNodeContext,
  Ipv4Address,
  Ipv4Cidr,
  InvalidArgumentError,
  describeStack,
  getModel,
  type DatagramTransport,
  type LinkInterface,
  type ModelId,
  type NodeContext,
  type PhyPort,
  type StackComponent,
  type StreamTransport,
} from '@netlayers/core';
import type { TcpOptions } from '@netlayers/transport';
import type { PingOptions, PingResult, TracerouteOptions, TracerouteHop } from '@netlayers/network';
import { resolveStack, type NetworkLayer, type ResolvedStack, type StackSpec } from '../stack.ts';
import type { LabContext } from '../context.ts';

export interface HostOptions {
  /** Default gateway, applied once an interface on its subnet is connected. */
  gateway?: string;
  /** Swap any role's implementation. */
  stack?: StackSpec;
  /** Options for the default TCP (fixed ISNs, MSL, congestion control...). */
  tcp?: TcpOptions;
}

export interface HostInterface {
  readonly name: string;
  readonly link: LinkInterface;
  /** The physical port under it, or null for a four-layer network-access interface. */
  readonly port: PhyPort | null;
  readonly cidr: Ipv4Cidr | null;
  /** What the medium is, for describeStack. */
  readonly physicalLabel: string;
}

export class Host {
  readonly context: NodeContext;
  readonly ip: NetworkLayer;
  readonly tcp: StreamTransport;
  readonly udp: DatagramTransport;
  readonly interfaces = new Map<string, HostInterface>();
  private readonly stack: ResolvedStack;
  private pendingGateway: Ipv4Address | null;
  private interfaceCounter = 0;

  constructor(
    readonly network: LabContext,
    readonly name: string,
    readonly kind: 'host' | 'router',
    options: HostOptions = {},
  ) {
    this.context = createNodeContext(network, name);
    this.stack = resolveStack(options.stack, options.tcp);
    this.ip = this.stack.network(this.context, { forwarding: kind === 'router' });
    this.tcp = this.stack.stream(this.context, this.ip);
    this.udp = this.stack.datagram(this.context, this.ip);
    this.pendingGateway = options.gateway === undefined ? null : Ipv4Address.parse(options.gateway);
  }

  /** The next free interface name: eth0, eth1, ... */
  nextInterfaceName(): string {
    for (;;) {
      const name = `eth${this.interfaceCounter++}`;
      if (!this.interfaces.has(name)) return name;
    }
  }

  /** Put a link-layer interface (from the stack's link factory) on a physical port. */
  attachPort(port: PhyPort, iface: string, cidr: Ipv4Cidr | null, physicalLabel: string): LinkInterface {
    const link = this.stack.link(this.context, port, { name: iface });
    this.attachInterface(link, port, cidr, physicalLabel);
    return link;
  }

  /** Add a ready-made link interface (a four-layer network-access module brings its own wire). */
  attachInterface(link: LinkInterface, port: PhyPort | null, cidr: Ipv4Cidr | null, physicalLabel: string): void {
    if (this.interfaces.has(link.name)) throw new InvalidArgumentError('interface', link.name, `${this.name} already has an interface of that name`);
    this.interfaces.set(link.name, { name: link.name, link, port, cidr, physicalLabel });
    this.ip.addInterface(link, cidr);
    this.applyGatewayIfReachable();
  }

  /** Set the default route now (or as soon as an interface on its subnet exists). */
  setGateway(gateway: string | Ipv4Address): void {
    this.pendingGateway = Ipv4Address.from(gateway);
    this.applyGatewayIfReachable();
  }

  private applyGatewayIfReachable(): void {
    const gateway = this.pendingGateway;
    if (gateway === null) return;
    for (const i of this.interfaces.values()) {
      if (i.cidr !== null && i.cidr.contains(gateway)) {
        this.ip.setDefaultGateway(gateway, i.name);
        this.pendingGateway = null;
        return;
      }
    }
  }

  /** The node's first configured address (convenient in examples). */
  get address(): Ipv4Address {
    for (const i of this.ip.interfaces()) if (i.cidr !== null) return i.cidr.address;
    throw new InvalidArgumentError('node', this.name, 'has no configured IPv4 address yet');
  }

  /** Ping and drive virtual time until the answer (or timeout) arrives. */
  ping(destination: string | Ipv4Address, options?: PingOptions): Promise<PingResult> {
    if (this.ip.ping === undefined) throw new InvalidArgumentError('network layer', this.stack.labels.network, 'has no ping()');
    return this.network.drive(this.ip.ping(destination, options));
  }

  /** Traceroute and drive virtual time until it finishes. */
  traceroute(destination: string | Ipv4Address, options?: TracerouteOptions): Promise<TracerouteHop[]> {
    if (this.ip.traceroute === undefined) throw new InvalidArgumentError('network layer', this.stack.labels.network, 'has no traceroute()');
    return this.network.drive(this.ip.traceroute(destination, options));
  }

  /** The components of this node's stack, top first, by role. */
  components(): StackComponent[] {
    const interfaces = [...this.interfaces.values()];
    const access = interfaces.filter((i) => i.port === null);
    const framed = interfaces.filter((i) => i.port !== null);
    const list: StackComponent[] = [
      { role: 'application', implementation: 'your code, over the socket API' },
      { role: 'transport', implementation: `${this.stack.labels.stream}, ${this.stack.labels.datagram}` },
      { role: 'network', implementation: this.stack.labels.network + (this.kind === 'router' ? ', forwarding' : '') },
    ];
    if (framed.length > 0 || access.length === 0) {
      list.push({ role: 'link', implementation: this.stack.labels.link });
      list.push({ role: 'physical', implementation: unique(framed.map((i) => i.physicalLabel)).join('; ') || 'not connected' });
    }
    if (access.length > 0) list.push({ role: 'network-access', implementation: unique(access.map((i) => i.physicalLabel)).join('; ') });
    return list;
  }

  /** This node's stack in a layer model, as text: one line per layer. */
  describeStack(model: ModelId = 'tcpip-5'): string {
    const m = getModel(model);
    const rows = describeStack(this.components(), m);
    const width = Math.max(...rows.map((r) => r.layer.name.length));
    const hasAccess = rows.some((r) => r.components.some((c) => c.role === 'network-access'));
    const lines = rows.map((r) => {
      const what = r.components.length
        ? r.components.map((c) => c.implementation).join(' | ')
        : r.layer.roles.length === 0
          ? '(inside the application in TCP/IP)'
          : hasAccess && r.layer.roles.includes('physical')
            ? '(within the network-access module: it brings its own wire)'
            : '(none)';
      return `  ${String(r.layer.number).padStart(1)}  ${r.layer.name.padEnd(width)}  ${what}`;
    });
    return `${this.name} (${this.kind}) in the ${m.title}:\n${lines.join('\n')}`;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

