// A RIP-like distance-vector routing protocol (after RFC 2453, RIP version 2): each router
// broadcasts its routing table to its neighbours as UDP datagrams on port 520 every 30 s
// (§3.8, with a random offset) and at once after a change (triggered updates, §3.10.1,
// rate-limited to one per 1–5 s). A route not refreshed for 180 s times out; a route at
// metric 16 (infinity) is kept and advertised for a 120 s garbage-collection period, then
// deleted (§3.8). Split horizon with poisoned reverse (§3.4.3) is the default and can be
// turned down to simple split horizon or off, to watch count-to-infinity (§3.4.1) happen.
// Routes are installed through the NetworkConfigurator / RoutingTable contracts; changes are
// traced as 'state' events (role 'network', protocol 'rip').

import {
  DropReason,
  InvalidArgumentError,
  Ipv4Address,
  Ipv4Cidr,
  isWireError,
  parseDuration,
  type DatagramRemote,
  type DatagramSocket,
  type DatagramTransport,
  type IpInterfaceInfo,
  type NetworkConfigurator,
  type NodeContext,
  type Random,
  type TimerHandle,
} from '@netlayers/core';
import {
  AF_INET,
  RIP_INFINITY,
  RIP_MAX_ENTRIES,
  RIP_PORT,
  RIP_VERSION,
  RipCommand,
  emitRipMessage,
  isWholeTableRequest,
  parseRipMessage,
  type RipEntry,
  type RipMessage,
} from './rip-wire.ts';

export type SplitHorizon = 'poisoned-reverse' | 'simple' | 'off';

export interface DistanceVectorOptions {
  /** Regular update interval (default 30 s). */
  readonly updateInterval?: string | number;
  /** Random offset added to each update interval, up to ± this (default 5 s). */
  readonly updateJitter?: string | number;
  /** A learned route not refreshed for this long times out (default 180 s). */
  readonly timeout?: string | number;
  /** How long a route at infinity is kept and advertised before deletion (default 120 s). */
  readonly garbageCollection?: string | number;
  /** Split horizon mode (default 'poisoned-reverse'). */
  readonly splitHorizon?: SplitHorizon;
  /** Send triggered updates after a change (default true). */
  readonly triggeredUpdates?: boolean;
  /** Least and most time between two triggered updates (default 1 s to 5 s). */
  readonly triggeredUpdateHoldoff?: readonly [string | number, string | number];
  /** Interfaces to run on (default: every interface of the node). */
  readonly interfaces?: readonly string[];
  /** UDP port (default 520). */
  readonly port?: number;
}

/** One row of the distance-vector table. */
export interface DistanceVectorRoute {
  readonly prefix: Ipv4Cidr;
  /** 1 for a directly connected network, up to 16 (unreachable). */
  readonly metric: number;
  /** The neighbour to forward to, or null for a connected network. */
  readonly nextHop: Ipv4Address | null;
  readonly iface: string;
  readonly origin: 'connected' | 'learned';
  /** 'garbage-collection' while a route at metric 16 waits to be deleted. */
  readonly state: 'valid' | 'garbage-collection';
}

/** A change to the table, as `onRouteChange` listeners see it. */
export interface DistanceVectorChange {
  readonly prefix: string;
  readonly before: DistanceVectorRoute | null;
  readonly after: DistanceVectorRoute | null;
  readonly cause: string;
}

interface Entry {
  prefix: Ipv4Cidr;
  metric: number;
  nextHop: Ipv4Address | null;
  iface: string;
  origin: 'connected' | 'learned';
  changed: boolean;
  timeout: TimerHandle | undefined;
  garbage: TimerHandle | undefined;
}

const ROLE = 'network';
const PROTOCOL = 'rip';

export class DistanceVectorRouter {
  readonly splitHorizon: SplitHorizon;
  private readonly updateInterval: number;
  private readonly updateJitter: number;
  private readonly routeTimeout: number;
  private readonly garbageTime: number;
  private readonly triggered: boolean;
  private readonly holdoff: readonly [number, number];
  private readonly port: number;
  private readonly enabled: ReadonlySet<string> | undefined;
  private readonly random: Random;
  private readonly table = new Map<string, Entry>();
  private readonly sockets = new Map<string, DatagramSocket>();
  private readonly listeners: ((change: DistanceVectorChange) => void)[] = [];
  private periodic: TimerHandle | undefined;
  private holdoffTimer: TimerHandle | undefined;
  private pendingTriggered = false;
  private running = false;
  private subscribed = false;
  /** Updates and requests sent, responses received (for tests and tools). */
  readonly stats = { updatesSent: 0, triggeredUpdatesSent: 0, requestsSent: 0, responsesReceived: 0, ignored: 0 };

  constructor(
    private readonly node: NodeContext,
    private readonly config: NetworkConfigurator,
    private readonly udp: DatagramTransport,
    options: DistanceVectorOptions = {},
  ) {
    this.updateInterval = positive('updateInterval', options.updateInterval ?? '30s');
    this.updateJitter = parseDuration(options.updateJitter ?? '5s');
    if (this.updateJitter >= this.updateInterval) throw new InvalidArgumentError('updateJitter', options.updateJitter, 'must be shorter than the update interval');
    this.routeTimeout = positive('timeout', options.timeout ?? '180s');
    this.garbageTime = positive('garbageCollection', options.garbageCollection ?? '120s');
    const mode = options.splitHorizon ?? 'poisoned-reverse';
    if (mode !== 'poisoned-reverse' && mode !== 'simple' && mode !== 'off') {
      throw new InvalidArgumentError('splitHorizon', mode, "must be 'poisoned-reverse', 'simple' or 'off'");
    }
    this.splitHorizon = mode;
    this.triggered = options.triggeredUpdates ?? true;
    const [low, high] = options.triggeredUpdateHoldoff ?? ['1s', '5s'];
    this.holdoff = [parseDuration(low), parseDuration(high)];
    if (this.holdoff[0] > this.holdoff[1]) throw new InvalidArgumentError('triggeredUpdateHoldoff', `${low}-${high}`, 'the least must not exceed the most');
    this.port = options.port ?? RIP_PORT;
    if (!Number.isInteger(this.port) || this.port < 1 || this.port > 65535) throw new InvalidArgumentError('port', this.port, 'must be an integer from 1 to 65535');
    this.enabled = options.interfaces === undefined ? undefined : new Set(options.interfaces);
    this.random = node.random.fork('rip');
  }

  /** Open port 520 on every interface, ask the neighbours for their tables, start the update timer. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.subscribed) {
      this.subscribed = true;
      this.config.onInterfaceChange((iface, up) => this.interfaceChanged(iface, up));
    }
    this.refreshConnected('start');
    for (const info of this.activeInterfaces()) {
      this.openSocket(info.name);
      this.sendRequest(info);
    }
    this.sendUpdate('periodic');
    this.schedulePeriodic();
  }

  /** Stop sending and listening; installed routes stay until removed by the caller. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.periodic?.cancel();
    this.holdoffTimer?.cancel();
    this.pendingTriggered = false;
    for (const entry of this.table.values()) {
      entry.timeout?.cancel();
      entry.garbage?.cancel();
    }
    for (const socket of this.sockets.values()) socket.close();
    this.sockets.clear();
  }

  /** The distance-vector table, most specific prefix first. */
  routes(): DistanceVectorRoute[] {
    return [...this.table.values()].map(snapshot).sort((a, b) => b.prefix.prefixLength - a.prefix.prefixLength || a.prefix.network.value - b.prefix.network.value);
  }

  /** The row for `prefix` ("10.0.3.0/24"), if any. */
  route(prefix: string | Ipv4Cidr): DistanceVectorRoute | undefined {
    const entry = this.table.get(keyOf(Ipv4Cidr.from(prefix)));
    return entry === undefined ? undefined : snapshot(entry);
  }

  onRouteChange(listener: (change: DistanceVectorChange) => void): void {
    this.listeners.push(listener);
  }

  // ---- interfaces and connected networks ---------------------------------------------

  private activeInterfaces(): IpInterfaceInfo[] {
    return this.config.interfaces().filter((i) => (this.enabled === undefined || this.enabled.has(i.name)) && i.isUp && i.cidr !== null);
  }

  private openSocket(iface: string): void {
    if (this.sockets.has(iface)) return;
    const socket = this.udp.bind({ port: this.port, iface });
    socket.setBroadcast(true);
    socket.on('message', (data, remote) => this.receive(data, remote, iface));
    socket.on('error', () => undefined); // an unreachable neighbour is not our error
    this.sockets.set(iface, socket);
  }

  private interfaceChanged(iface: string, up: boolean): void {
    if (!this.running || (this.enabled !== undefined && !this.enabled.has(iface))) return;
    if (!up) {
      for (const entry of this.table.values()) {
        if (entry.iface === iface && entry.metric < RIP_INFINITY) this.startDeletion(entry, `${iface} down`);
      }
    }
    this.refreshConnected(up ? `${iface} up` : `${iface} down`);
    if (up) {
      const info = this.activeInterfaces().find((i) => i.name === iface);
      if (info !== undefined) {
        this.openSocket(iface);
        this.sendRequest(info);
      }
    }
  }

  /** Bring the connected rows in line with the interfaces (§3.4: a connected network costs 1). */
  private refreshConnected(cause: string): void {
    const live = new Map<string, IpInterfaceInfo>();
    for (const info of this.activeInterfaces()) live.set(keyOf(info.cidr!), info);
    for (const entry of this.table.values()) {
      if (entry.origin === 'connected' && entry.metric < RIP_INFINITY) {
        const info = live.get(keyOf(entry.prefix));
        if (info === undefined || info.name !== entry.iface) this.startDeletion(entry, cause);
      }
    }
    for (const [key, info] of live) {
      const existing = this.table.get(key);
      if (existing?.origin === 'connected' && existing.metric === 1 && existing.iface === info.name) continue;
      const before = existing === undefined ? null : snapshot(existing);
      if (existing !== undefined) this.discard(existing);
      const entry: Entry = { prefix: networkOf(info.cidr!), metric: 1, nextHop: null, iface: info.name, origin: 'connected', changed: true, timeout: undefined, garbage: undefined };
      this.table.set(key, entry);
      this.changed(before, entry, cause);
    }
  }

  // ---- receiving (§3.9) ---------------------------------------------------------------

  private receive(data: Uint8Array, remote: DatagramRemote, iface: string): void {
    const message = parseRipMessage(data);
    if (isWireError(message)) {
      this.node.tracer.drop(ROLE, PROTOCOL, message.reason, message.detail, data.length, { iface });
      return;
    }
    if (this.isOwnAddress(remote.address)) return; // our own broadcast, heard back
    if (message.command === RipCommand.Request) {
      this.answerRequest(message, remote, iface);
      return;
    }
    // §3.9.2: a response must come from port 520, from a neighbour on the receiving network.
    const info = this.activeInterfaces().find((i) => i.name === iface);
    if (remote.port !== this.port || info === undefined || !info.cidr!.contains(remote.address)) {
      this.stats.ignored++;
      this.node.tracer.drop(ROLE, PROTOCOL, DropReason.Filtered, `response from ${remote.address}:${remote.port} is not from a RIP neighbour on ${iface}`, data.length, { iface });
      return;
    }
    this.stats.responsesReceived++;
    for (const entry of message.entries) this.consider(entry, remote.address, info);
  }

  private consider(rip: RipEntry, source: Ipv4Address, info: IpInterfaceInfo): void {
    if (rip.addressFamily !== AF_INET || !validDestination(rip.address, rip.prefixLength)) {
      this.stats.ignored++;
      return;
    }
    const metric = Math.min(rip.metric + 1, RIP_INFINITY);
    const nextHop = !rip.nextHop.isUnspecified && info.cidr!.contains(rip.nextHop) && !this.isOwnAddress(rip.nextHop) ? rip.nextHop : source;
    const prefix = Ipv4Cidr.of(Ipv4Address.fromUint32((rip.address.value & prefixMaskOf(rip.prefixLength)) >>> 0), rip.prefixLength);
    const key = keyOf(prefix);
    const existing = this.table.get(key);
    const cause = `response from ${source} on ${info.name}`;
    if (existing === undefined) {
      if (metric < RIP_INFINITY) this.adopt(undefined, key, prefix, metric, nextHop, info.name, cause);
      return;
    }
    if (existing.origin === 'connected') {
      if (existing.metric === RIP_INFINITY && metric < RIP_INFINITY) this.adopt(existing, key, prefix, metric, nextHop, info.name, cause);
      return;
    }
    const sameRouter = existing.nextHop !== null && existing.nextHop.equals(nextHop) && existing.iface === info.name;
    if (sameRouter) {
      if (metric === existing.metric) {
        if (metric < RIP_INFINITY) this.restartTimeout(existing);
        return;
      }
      if (metric === RIP_INFINITY) {
        this.startDeletion(existing, `${cause}: unreachable`);
        return;
      }
      this.adopt(existing, key, prefix, metric, nextHop, info.name, cause);
      return;
    }
    if (metric < existing.metric) this.adopt(existing, key, prefix, metric, nextHop, info.name, cause);
  }

  private adopt(existing: Entry | undefined, key: string, prefix: Ipv4Cidr, metric: number, nextHop: Ipv4Address, iface: string, cause: string): void {
    const before = existing === undefined ? null : snapshot(existing);
    if (existing !== undefined) this.discard(existing);
    const entry: Entry = { prefix, metric, nextHop, iface, origin: 'learned', changed: true, timeout: undefined, garbage: undefined };
    this.table.set(key, entry);
    this.config.routes.add({ prefix, nextHop, iface, metric, source: 'dynamic' });
    this.restartTimeout(entry);
    this.changed(before, entry, cause);
  }

  private restartTimeout(entry: Entry): void {
    entry.timeout?.cancel();
    entry.timeout = this.node.scheduler.schedule(this.routeTimeout, () => {
      entry.timeout = undefined;
      this.startDeletion(entry, 'timeout');
    });
  }

  /** §3.8 deletion: metric to 16, out of the forwarding table, advertised until garbage-collected. */
  private startDeletion(entry: Entry, cause: string): void {
    const before = snapshot(entry);
    entry.timeout?.cancel();
    entry.timeout = undefined;
    if (entry.origin === 'learned') this.config.routes.remove(entry.prefix, 'dynamic');
    entry.metric = RIP_INFINITY;
    entry.changed = true;
    entry.garbage?.cancel();
    entry.garbage = this.node.scheduler.schedule(this.garbageTime, () => {
      const key = keyOf(entry.prefix);
      if (this.table.get(key) !== entry) return;
      this.table.delete(key);
      this.emitChange(snapshot(entry), null, 'garbage-collection');
    });
    this.changed(before, entry, cause);
  }

  /** Forget a row that is being replaced. */
  private discard(entry: Entry): void {
    entry.timeout?.cancel();
    entry.garbage?.cancel();
    if (entry.origin === 'learned' && entry.metric < RIP_INFINITY) this.config.routes.remove(entry.prefix, 'dynamic');
  }

  private answerRequest(message: RipMessage, remote: DatagramRemote, iface: string): void {
    const socket = this.sockets.get(iface);
    if (socket === undefined) return;
    if (isWholeTableRequest(message)) {
      for (const chunk of chunks(this.advertisement(iface, false))) socket.send(emitRipMessage({ command: RipCommand.Response, version: RIP_VERSION, entries: chunk }), remote.port, remote.address);
      return;
    }
    // §3.9.1: a request for specific entries is answered entry by entry, without split horizon.
    const entries = message.entries.map((e) => {
      const row = this.table.get(keyOf(Ipv4Cidr.of(e.address, e.prefixLength)));
      return { ...e, metric: row?.metric ?? RIP_INFINITY };
    });
    socket.send(emitRipMessage({ command: RipCommand.Response, version: RIP_VERSION, entries }), remote.port, remote.address);
  }

  // ---- sending (§3.8, §3.10) -----------------------------------------------------------

  private schedulePeriodic(): void {
    const offset = this.updateJitter === 0 ? 0 : this.random.int(-this.updateJitter, this.updateJitter);
    this.periodic = this.node.scheduler.schedule(this.updateInterval + offset, () => {
      this.refreshConnected('periodic check');
      this.sendUpdate('periodic');
      this.schedulePeriodic();
    });
  }

  private changed(before: DistanceVectorRoute | null, entry: Entry, cause: string): void {
    this.emitChange(before, snapshot(entry), cause);
    if (!this.running || !this.triggered) return;
    if (this.holdoffTimer?.pending) {
      this.pendingTriggered = true;
      return;
    }
    // Send at the end of this instant, so changes from one response go out in one update.
    this.pendingTriggered = true;
    this.holdoffTimer = this.node.scheduler.schedule(0, () => this.fireTriggered());
  }

  private fireTriggered(): void {
    if (!this.running || !this.pendingTriggered) return;
    this.pendingTriggered = false;
    this.sendUpdate('triggered');
    this.holdoffTimer = this.node.scheduler.schedule(this.random.int(this.holdoff[0], this.holdoff[1]), () => this.fireTriggered());
  }

  private sendUpdate(kind: 'periodic' | 'triggered'): void {
    if (!this.running) return;
    for (const info of this.activeInterfaces()) {
      const socket = this.sockets.get(info.name);
      if (socket === undefined) continue;
      const entries = this.advertisement(info.name, kind === 'triggered');
      if (entries.length === 0) continue;
      const destination = info.cidr!.prefixLength >= 31 ? Ipv4Address.BROADCAST : info.cidr!.broadcast;
      for (const chunk of chunks(entries)) {
        socket.send(emitRipMessage({ command: RipCommand.Response, version: RIP_VERSION, entries: chunk }), this.port, destination);
      }
      if (kind === 'triggered') this.stats.triggeredUpdatesSent++;
      else this.stats.updatesSent++;
    }
    for (const entry of this.table.values()) entry.changed = false;
  }

  /** The entries to send out of `iface`, split horizon applied (§3.4.3). */
  private advertisement(iface: string, onlyChanged: boolean): RipEntry[] {
    const entries: RipEntry[] = [];
    for (const entry of this.table.values()) {
      if (onlyChanged && !entry.changed) continue;
      let metric = entry.metric;
      if (entry.origin === 'learned' && entry.iface === iface) {
        if (this.splitHorizon === 'simple') continue;
        if (this.splitHorizon === 'poisoned-reverse') metric = RIP_INFINITY;
      }
      entries.push({ addressFamily: AF_INET, routeTag: 0, address: entry.prefix.network, prefixLength: entry.prefix.prefixLength, nextHop: Ipv4Address.ANY, metric });
    }
    return entries;
  }

  private sendRequest(info: IpInterfaceInfo): void {
    const socket = this.sockets.get(info.name);
    if (socket === undefined) return;
    const destination = info.cidr!.prefixLength >= 31 ? Ipv4Address.BROADCAST : info.cidr!.broadcast;
    const request: RipMessage = {
      command: RipCommand.Request,
      version: RIP_VERSION,
      entries: [{ addressFamily: 0, routeTag: 0, address: Ipv4Address.ANY, prefixLength: 0, nextHop: Ipv4Address.ANY, metric: RIP_INFINITY }],
    };
    socket.send(emitRipMessage(request), this.port, destination);
    this.stats.requestsSent++;
  }

  // ---- helpers ----------------------------------------------------------------------------

  private isOwnAddress(address: Ipv4Address): boolean {
    return this.config.interfaces().some((i) => i.cidr !== null && i.cidr.address.equals(address));
  }

  private emitChange(before: DistanceVectorRoute | null, after: DistanceVectorRoute | null, cause: string): void {
    const prefix = (after ?? before)!.prefix.toString();
    if (this.node.tracer.active) {
      this.node.tracer.emit({ kind: 'state', role: ROLE, protocol: PROTOCOL, entity: prefix, from: describe(before), to: describe(after), cause });
    }
    for (const listener of this.listeners) listener({ prefix, before, after, cause });
  }
}

function positive(name: string, value: string | number): number {
  const ns = parseDuration(value);
  if (ns <= 0) throw new InvalidArgumentError(name, value, 'must be longer than zero');
  return ns;
}

function prefixMaskOf(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

function networkOf(cidr: Ipv4Cidr): Ipv4Cidr {
  return Ipv4Cidr.of(cidr.network, cidr.prefixLength);
}

function keyOf(cidr: Ipv4Cidr): string {
  return `${cidr.network}/${cidr.prefixLength}`;
}

/** §3.9.2: not a loopback, multicast, broadcast or class-E network; 0.0.0.0/0 only as the default route. */
function validDestination(address: Ipv4Address, prefixLength: number): boolean {
  if (address.isUnspecified) return prefixLength === 0;
  const first = address.value >>> 24;
  return first !== 0 && first !== 127 && first < 224;
}

function snapshot(entry: Entry): DistanceVectorRoute {
  return {
    prefix: entry.prefix,
    metric: entry.metric,
    nextHop: entry.nextHop,
    iface: entry.iface,
    origin: entry.origin,
    state: entry.metric >= RIP_INFINITY ? 'garbage-collection' : 'valid',
  };
}

function describe(route: DistanceVectorRoute | null): string {
  if (route === null) return 'none';
  if (route.metric >= RIP_INFINITY) return `unreachable (metric ${RIP_INFINITY})`;
  return route.nextHop === null ? `connected on ${route.iface} (metric ${route.metric})` : `metric ${route.metric} via ${route.nextHop} on ${route.iface}`;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += RIP_MAX_ENTRIES) out.push(items.slice(i, i + RIP_MAX_ENTRIES));
  return out;
}
