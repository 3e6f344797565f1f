// Hosts for tests of applications (HTTP, DNS, DHCP, SMTP, FTP, echo): each has a stream
// transport (a MemoryTransport), a datagram transport (a FakeDatagramTransport) and a
// NetworkConfigurator (a FakeConfigurator) sharing one simulation and one address, which
// the configurator changes (so a DHCP client's lease takes effect on both transports).
// Stream writes can be cut into seeded random chunks down to one byte, so parsers see every
// boundary; datagrams can be lost through `datagramFilter` to exercise retries.

import { Ipv4Address, Ipv4Cidr, createNodeContext, createSimulationContext, type NodeContext, type Scheduler, type SimulationContext } from '@netlayers/core';
import { FakeConfigurator } from './configurator.ts';
import { FakeDatagramNetwork, type DatagramInFlight, type FakeDatagramTransport } from './datagram-transport.ts';
import { MemoryNetwork, type MemoryTransport } from './memory-transport.ts';

export interface FakeNetworkOptions {
  /** One-way delay, ns (default 1 ms). */
  readonly latency?: number;
  /** Cut every stream write into chunks of this size (1 = byte at a time), or of a random size up to it with `randomChunks`; default: writes arrive whole. */
  readonly chunkSize?: number;
  readonly randomChunks?: boolean;
  /** Seed of the simulation and of the chunk sizes (default 1 and 7). */
  readonly seed?: number;
}

export class FakeNetwork {
  readonly sim: SimulationContext;
  readonly hosts = new Map<string, FakeHost>();
  readonly latency: number;
  readonly streams: MemoryNetwork;
  readonly datagramNetwork: FakeDatagramNetwork;

  constructor(options: FakeNetworkOptions = {}) {
    this.sim = createSimulationContext(options.seed ?? 1);
    this.latency = options.latency ?? 1_000_000;
    const chunkSize = options.chunkSize ?? 0;
    this.streams = new MemoryNetwork(this.sim.scheduler, {
      delay: this.latency,
      window: Number.POSITIVE_INFINITY,
      segment: chunkSize > 0 ? chunkSize : Number.POSITIVE_INFINITY,
      randomSegments: options.randomChunks ?? false,
      seed: options.seed ?? 7,
    });
    this.datagramNetwork = new FakeDatagramNetwork(this.sim.scheduler, { delay: this.latency });
  }

  get scheduler(): Scheduler {
    return this.sim.scheduler;
  }

  /** Every datagram sent, lost or not. */
  get datagrams(): readonly DatagramInFlight[] {
    return this.datagramNetwork.datagrams;
  }

  /** Return false to lose a datagram. */
  get datagramFilter(): (datagram: DatagramInFlight) => boolean {
    return this.datagramNetwork.filter;
  }
  set datagramFilter(filter: (datagram: DatagramInFlight) => boolean) {
    this.datagramNetwork.filter = filter;
  }

  /** A host; `address` ('10.0.0.1', or with a prefix length, default /24) null means unconfigured (a DHCP client before its lease). */
  addHost(name: string, address: string | null): FakeHost {
    if (this.hosts.has(name)) throw new Error(`FakeNetwork: a host named ${name} already exists`);
    const host = new FakeHost(this, name, address === null ? null : Ipv4Cidr.parse(address.includes('/') ? address : `${address}/24`));
    this.hosts.set(name, host);
    return host;
  }

  hostByAddress(address: Ipv4Address): FakeHost | undefined {
    for (const host of this.hosts.values()) if (host.cidr !== null && host.cidr.address.equals(address)) return host;
    return undefined;
  }
}

export class FakeHost {
  readonly context: NodeContext;
  readonly tcp: MemoryTransport;
  readonly udp: FakeDatagramTransport;
  readonly configurator: FakeConfigurator;

  constructor(
    readonly net: FakeNetwork,
    readonly name: string,
    cidr: Ipv4Cidr | null,
  ) {
    this.context = createNodeContext(net.sim, name);
    const address = cidr?.address ?? null;
    this.tcp = net.streams.transport(address);
    this.udp = net.datagramNetwork.transport(address);
    this.configurator = new FakeConfigurator({
      cidr,
      onAddress: (next) => {
        this.tcp.address = next?.address ?? Ipv4Address.ANY;
        this.udp.address = next?.address ?? Ipv4Address.ANY;
      },
    });
  }

  get cidr(): Ipv4Cidr | null {
    return this.configurator.cidr;
  }

  get address(): Ipv4Address {
    return this.cidr?.address ?? Ipv4Address.ANY;
  }
}
