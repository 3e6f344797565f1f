// A simulated network: one scheduler, one trace bus and one seed, and the hosts, routers,
// switches and links of a topology. Example scripts import this. It only wires layers
// together; every protocol lives in the layer packages.

import {
  createSimulationContext,
  driveWithEventLoop,
  formatBandwidth,
  formatDuration,
  parseDuration,
  Ipv4Cidr,
  InvalidArgumentError,
  type LinkInterface,
  type Medium,
  type NodeContext,
  type Random,
  type Scheduler,
  type SimulationContext,
  type TraceBus,
} from '@netlayers/core';
import { PointToPointLink, type PointToPointOptions } from '@netlayers/physical';
import { Host, type HostOptions } from './nodes/host.ts';
import { Switch, type SwitchOptions } from './nodes/switch.ts';
import { Segment } from './nodes/segment.ts';
import { realtimeClockOf } from './bridge/realtime-clock.ts';
import { applyLinkOverrides, currentRunOverrides } from './overrides.ts';

export type LabNode = Host | Switch | Segment;

/** One side of a connection: a node, [node, "10.0.0.1/24"], or the long form. */
export type Endpoint = LabNode | readonly [LabNode, string | null] | { readonly node: LabNode; readonly iface?: string; readonly address?: string | null };

export interface ConnectOptions extends PointToPointOptions {
  /** Physical swap: build the medium for this connection yourself. */
  medium?: (sim: SimulationContext, options: PointToPointOptions) => Medium;
  /**
   * Four-layer swap: one network-access module per side instead of link + physical. Gets
   * both nodes' contexts and interface names and returns their two interfaces.
   */
  access?: (a: { node: NodeContext; name: string }, b: { node: NodeContext; name: string }, sim: SimulationContext) => readonly [LinkInterface, LinkInterface];
  /** A label for describeStack when you swap the medium or access module. */
  label?: string;
}

export interface NetworkOptions {
  /** Seed for every random choice in the run (ISNs, MACs, impairments). Same seed, same trace. */
  seed?: number | string;
}

type CreateListener = (network: Network) => void;

export class Network implements SimulationContext {
  private static readonly createListeners = new Set<CreateListener>();

  /** Be told about every Network created from now on (the CLI attaches its recorders here). Returns an unsubscribe function. */
  static onCreate(listener: CreateListener): () => void {
    Network.createListeners.add(listener);
    return () => Network.createListeners.delete(listener);
  }

  readonly scheduler: Scheduler;
  readonly trace: TraceBus;
  readonly random: Random;
  readonly seed: number | string;
  readonly nodes = new Map<string, LabNode>();
  readonly links: { readonly name: string; readonly a: string; readonly b: string; readonly label: string; readonly medium: Medium | null }[] = [];
  private driving = false;

  constructor(options: NetworkOptions = {}) {
    this.seed = currentRunOverrides().seed ?? options.seed ?? 1;
    const sim = createSimulationContext(this.seed);
    this.scheduler = sim.scheduler;
    this.trace = sim.trace;
    this.random = sim.random;
    for (const listener of Network.createListeners) listener(this);
  }

  addHost(name: string, options: HostOptions = {}): Host {
    return this.register(new Host(this, this.checkName(name), 'host', options));
  }

  addRouter(name: string, options: HostOptions = {}): Host {
    return this.register(new Host(this, this.checkName(name), 'router', options));
  }

  addSwitch(name: string, options: SwitchOptions = {}): Switch {
    return this.register(new Switch(this, this.checkName(name), options));
  }

  /** A shared segment every connected node attaches to directly (a hub, a CSMA/CD bus...). */
  addSegment(name: string, medium: (sim: SimulationContext) => Medium, label = 'shared medium'): Segment {
    return this.register(new Segment(this, this.checkName(name), medium(this), label));
  }

  node(name: string): LabNode {
    const n = this.nodes.get(name);
    if (n === undefined) throw new InvalidArgumentError('node', name, 'no node of that name in this network');
    return n;
  }

  host(name: string): Host {
    const n = this.node(name);
    if (!(n instanceof Host)) throw new InvalidArgumentError('node', name, 'is not a host or router');
    return n;
  }

  /**
   * Connect two endpoints. Point-to-point by default (a cable); to a Segment, the other
   * endpoint attaches to the shared medium. Addresses in the endpoints configure the
   * interfaces; options set bandwidth, delay, MTU, queue and impairments.
   */
  connect(a: Endpoint, b: Endpoint, options: ConnectOptions = {}): void {
    const ea = normalize(a);
    const eb = normalize(b);
    if (ea.node === eb.node) throw new InvalidArgumentError('endpoint', ea.node.name, 'cannot connect a node to itself');
    if (ea.node instanceof Segment || eb.node instanceof Segment) {
      if (ea.node instanceof Segment && eb.node instanceof Segment) throw new InvalidArgumentError('endpoint', `${ea.node.name}-${eb.node.name}`, 'join two segments through a switch');
      const [segment, other] = ea.node instanceof Segment ? [ea.node, eb] : [eb.node as Segment, ea];
      this.attach(other, segment.medium, segment.label);
      this.links.push({ name: `${other.node.name}-${segment.name}`, a: other.node.name, b: segment.name, label: segment.label, medium: segment.medium });
      return;
    }
    const name = options.name ?? `${ea.node.name}-${eb.node.name}`;
    if (options.access !== undefined) {
      if (!(ea.node instanceof Host) || !(eb.node instanceof Host)) throw new InvalidArgumentError('endpoint', name, 'a network-access module joins two hosts or routers');
      const ia = ea.iface ?? ea.node.nextInterfaceName();
      const ib = eb.iface ?? eb.node.nextInterfaceName();
      const [la, lb] = options.access({ node: ea.node.context, name: ia }, { node: eb.node.context, name: ib }, this);
      const label = options.label ?? 'network access module';
      ea.node.attachInterface(la, null, ea.cidr, label);
      eb.node.attachInterface(lb, null, eb.cidr, label);
      this.links.push({ name, a: ea.node.name, b: eb.node.name, label, medium: null });
      return;
    }
    const { medium: mediumFactory, access: _access, label: customLabel, ...ownOptions } = options;
    const linkOptions = applyLinkOverrides(ownOptions);
    const medium = mediumFactory ? mediumFactory(this, { ...linkOptions, name }) : new PointToPointLink(this, { ...linkOptions, name });
    const label = customLabel ?? describeMedium(medium, mediumFactory === undefined);
    this.attach(ea, medium, label);
    this.attach(eb, medium, label);
    this.links.push({ name, a: ea.node.name, b: eb.node.name, label, medium });
  }

  private attach(end: NormalEndpoint, medium: Medium, label: string): void {
    const node = end.node;
    if (node instanceof Switch) {
      node.attachPort(medium.attach(node.context, `${node.name}:${end.iface ?? node.nextPortName()}`));
      return;
    }
    if (node instanceof Host) {
      const iface = end.iface ?? node.nextInterfaceName();
      node.attachPort(medium.attach(node.context, `${node.name}:${iface}`), iface, end.cidr, label);
      return;
    }
    throw new InvalidArgumentError('endpoint', node.name, 'cannot attach a segment here');
  }

  // ---- running virtual time -------------------------------------------------------------

  now(): number {
    return this.scheduler.now();
  }

  /** Run until nothing is left to do (guarded by maxEvents). Returns events run. */
  runUntilIdle(maxEvents?: number): number {
    return this.scheduler.runUntilIdle(maxEvents);
  }

  /** Run for a span of virtual time ("2s", or nanoseconds). */
  runFor(duration: string | number): number {
    return this.scheduler.runFor(parseDuration(duration));
  }

  /** Run until an absolute virtual time. */
  runUntil(time: string | number): number {
    return this.scheduler.runUntil(parseDuration(time));
  }

  /**
   * Drive virtual time, letting Node's event loop run between events, until `promise`
   * settles; returns its value. Use it for async code: `await net.drive(host.ping(...))`.
   * Nested calls (a drive already running) just wait on the promise, and so does a call
   * made while runRealtime drives this network (or just before it starts, in the same tick:
   * `runRealtime(net, { until: host.ping(...) })`), since the wall clock sets the pace then.
   */
  async drive<T>(promise: Promise<T>, options: { deadline?: string | number } = {}): Promise<T> {
    if (this.driving || realtimeClockOf(this.scheduler) !== undefined) return promise;
    this.driving = true;
    try {
      // One microtask: `runRealtime(net, { until: host.ping(...) })` calls runRealtime right
      // after ping() returns, in the same synchronous expression.
      await Promise.resolve();
      if (realtimeClockOf(this.scheduler) !== undefined) return await promise;
      let settled = false;
      void promise.then(() => (settled = true), () => (settled = true));
      await driveWithEventLoop(this.scheduler, {
        until: promise,
        ...(options.deadline === undefined ? {} : { deadline: parseDuration(options.deadline) }),
      });
      if (!settled) {
        throw new InvalidArgumentError('promise', 'drive()', `did not settle: the simulation went idle at ${formatDuration(this.now())} with it still pending`);
      }
      return await promise;
    } finally {
      this.driving = false;
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private checkName(name: string): string {
    if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_.-]*$/.test(name)) {
      throw new InvalidArgumentError('node name', name, 'use letters, digits, ".", "-" or "_", starting with a letter');
    }
    if (this.nodes.has(name)) throw new InvalidArgumentError('node name', name, 'already used in this network');
    return name;
  }

  private register<T extends LabNode>(node: T): T {
    this.nodes.set(node.name, node);
    return node;
  }
}

interface NormalEndpoint {
  readonly node: LabNode;
  readonly iface?: string;
  /** Parsed up front, so bad input fails before anything is built. */
  readonly cidr: Ipv4Cidr | null;
}

function normalize(endpoint: Endpoint): NormalEndpoint {
  let node: LabNode;
  let address: string | null | undefined;
  let iface: string | undefined;
  if (Array.isArray(endpoint)) {
    [node, address] = endpoint as readonly [LabNode, string | null];
  } else if (endpoint instanceof Host || endpoint instanceof Switch || endpoint instanceof Segment) {
    node = endpoint;
  } else {
    const long = endpoint as { node: LabNode; iface?: string; address?: string | null };
    ({ node, address, iface } = long);
  }
  if (!(node instanceof Host || node instanceof Switch || node instanceof Segment)) {
    throw new InvalidArgumentError('endpoint', String(node), 'expected a node made by this network (addHost, addRouter, addSwitch, addSegment)');
  }
  const cidr = address === undefined || address === null ? null : Ipv4Cidr.parse(address);
  if (cidr !== null && node instanceof Switch) throw new InvalidArgumentError('address', address, `${node.name} is a switch and takes no IP address`);
  return iface === undefined ? { node, cidr } : { node, iface, cidr };
}

function describeMedium(medium: Medium, pointToPoint: boolean): string {
  const c = medium.capabilities;
  const kind = pointToPoint ? 'point-to-point link' : medium.name;
  return `${kind}, ${formatBandwidth(c.bitsPerSecond)}, ${formatDuration(c.propagationDelay)}, MTU ${c.mtu}`;
}
