// A transparent learning bridge (IEEE 802.1D-2004 clause 7 / 802.1Q clause 8: forwarding
// process, learning process, filtering database with ageing, default ageing time 300 s).
// Store-and-forward: a frame is checked (length, FCS) before it is relayed, its source is
// learned against the ingress port, and it goes to the one port its destination was learned
// on, or to every other port (flooded) when the destination is a group address or unknown.
// A frame whose destination lives on its own ingress port is filtered. Frames are relayed
// byte for byte as received. This is a benchmark path: the per-frame work allocates
// nothing unless tracing is on.

import {
  DropReason,
  InvalidArgumentError,
  MacAddress,
  crc32,
  isWireError,
  parseDuration,
  type Nanoseconds,
  type NodeContext,
  type PhyPort,
  type TimerHandle,
} from '@netlayers/core';
import { FCS_RESIDUE, MIN_FRAME_LENGTH, ethernetSummary, parseEthernetFrame } from './ethernet.ts';

export interface LearningSwitchOptions {
  /** How long a learned address stays without being seen as a source (default '300s'). */
  agingTime?: string | number;
}

/** One filtering-database entry as `macTable()` shows it. */
export interface MacTableEntry {
  readonly mac: MacAddress;
  /** Port index as returned by `addPort`. */
  readonly port: number;
  /** When the entry ages out unless the address is seen again (virtual ns). */
  readonly expiresAt: Nanoseconds;
}

export interface LearningSwitchStats {
  /** Frames received on any port. */
  rxFrames: number;
  /** Frames sent to exactly one known port. */
  forwarded: number;
  /** Frames sent to every port but the ingress. */
  flooded: number;
  /** Frames dropped because their destination is on the ingress port. */
  filtered: number;
  /** Frames dropped as bad (runt, bad FCS) or with no usable egress. */
  drops: number;
}

interface Station {
  readonly key: number;
  port: number;
  lastSeen: Nanoseconds;
  timer: TimerHandle | null;
}

export class LearningSwitch {
  readonly agingTime: Nanoseconds;
  readonly stats: LearningSwitchStats = { rxFrames: 0, forwarded: 0, flooded: 0, filtered: 0, drops: 0 };
  private readonly ports: PhyPort[] = [];
  private readonly table = new Map<number, Station>();

  constructor(
    private readonly node: NodeContext,
    options: LearningSwitchOptions = {},
  ) {
    this.agingTime = parseDuration(options.agingTime ?? '300s');
    if (this.agingTime <= 0) throw new InvalidArgumentError('agingTime', options.agingTime, 'must be longer than zero');
  }

  /** Attach a port; returns its index (0, 1, 2, ...), which `macTable()` and traces use. */
  addPort(port: PhyPort): number {
    if (port === null || typeof port !== 'object' || typeof port.transmit !== 'function') {
      throw new InvalidArgumentError('port', port, 'must be a PhyPort');
    }
    if (this.ports.includes(port)) throw new InvalidArgumentError('port', port.name, 'is already attached to this switch');
    const index = this.ports.length;
    this.ports.push(port);
    port.setReceiver((frame) => this.receive(index, frame));
    port.onLinkChange((up) => {
      if (!up) this.flushPort(index);
    });
    return index;
  }

  get portCount(): number {
    return this.ports.length;
  }

  /** The filtering database, sorted by port then address. */
  macTable(): MacTableEntry[] {
    const now = this.node.scheduler.now();
    const rows: MacTableEntry[] = [];
    for (const s of this.table.values()) {
      const expiresAt = s.lastSeen + this.agingTime;
      if (expiresAt > now) rows.push({ mac: MacAddress.fromKey(s.key), port: s.port, expiresAt });
    }
    return rows.sort((a, b) => a.port - b.port || a.mac.key - b.mac.key);
  }

  /** Forget every learned address. */
  flush(): void {
    for (const s of this.table.values()) s.timer?.cancel();
    this.table.clear();
  }

  private receive(ingress: number, frame: Uint8Array): void {
    this.stats.rxFrames++;
    const length = frame.length;
    if (length < MIN_FRAME_LENGTH) {
      this.drop(ingress, DropReason.Truncated, `runt frame: ${length} bytes is below the ${MIN_FRAME_LENGTH}-byte minimum`, length);
      return;
    }
    if (crc32(frame) !== FCS_RESIDUE) {
      this.drop(ingress, DropReason.BadFcs, 'FCS does not match the frame', length);
      return;
    }
    const now = this.node.scheduler.now();
    // Learning process: group addresses are never learned as sources.
    if ((frame[6]! & 1) === 0) this.learn(MacAddress.keyAt(frame, 6), ingress, now);

    if ((frame[0]! & 1) === 0) {
      const station = this.table.get(MacAddress.keyAt(frame, 0));
      if (station !== undefined && now < station.lastSeen + this.agingTime) {
        const egress = station.port;
        if (egress === ingress) {
          this.stats.filtered++;
          this.node.tracer.drop('link', 'switch', DropReason.Filtered, `destination is on ingress port ${ingress}`, length, { iface: this.ports[ingress]!.name });
          return;
        }
        const port = this.ports[egress]!;
        if (!port.isUp) {
          this.drop(ingress, DropReason.InterfaceDown, `egress port ${egress} (${port.name}) is down`, length);
          return;
        }
        this.stats.forwarded++;
        if (this.node.tracer.active) this.traceForward(ingress, String(egress), false, frame);
        port.transmit(frame);
        return;
      }
    }
    this.flood(ingress, frame);
  }

  private flood(ingress: number, frame: Uint8Array): void {
    this.stats.flooded++;
    if (this.node.tracer.active) {
      const egress = this.ports.map((p, i) => (i !== ingress && p.isUp ? String(i) : '')).filter((s) => s !== '');
      this.traceForward(ingress, egress.join(','), true, frame);
    }
    const ports = this.ports;
    for (let i = 0; i < ports.length; i++) {
      if (i === ingress) continue;
      const port = ports[i]!;
      if (port.isUp) port.transmit(frame);
    }
  }

  private learn(key: number, ingress: number, now: Nanoseconds): void {
    const station = this.table.get(key);
    if (station === undefined) {
      const created: Station = { key, port: ingress, lastSeen: now, timer: null };
      this.table.set(key, created);
      this.armAging(created);
      this.note(key, `learned ${MacAddress.fromKey(key)} on port ${ingress}`);
      return;
    }
    if (station.port !== ingress) {
      this.note(key, `${MacAddress.fromKey(key)} moved from port ${station.port} to port ${ingress}`);
      station.port = ingress;
    }
    station.lastSeen = now;
  }

  /** One timer per entry, re-armed lazily: a frame only moves `lastSeen`. */
  private armAging(station: Station): void {
    station.timer = this.node.scheduler.scheduleAt(station.lastSeen + this.agingTime, () => {
      station.timer = null;
      if (this.table.get(station.key) !== station) return;
      if (this.node.scheduler.now() < station.lastSeen + this.agingTime) {
        this.armAging(station);
        return;
      }
      this.table.delete(station.key);
      this.note(station.key, `aged out ${MacAddress.fromKey(station.key)} from port ${station.port}`);
    });
  }

  private flushPort(index: number): void {
    for (const station of [...this.table.values()]) {
      if (station.port !== index) continue;
      station.timer?.cancel();
      this.table.delete(station.key);
      this.note(station.key, `flushed ${MacAddress.fromKey(station.key)}: port ${index} went down`);
    }
  }

  private drop(ingress: number, reason: DropReason, detail: string, length: number): void {
    this.stats.drops++;
    this.node.tracer.drop('link', 'switch', reason, detail, length, { iface: this.ports[ingress]!.name });
  }

  private traceForward(ingress: number, egress: string, flooded: boolean, frame: Uint8Array): void {
    const parsed = parseEthernetFrame(frame);
    const summary = isWireError(parsed) ? `${frame.length} bytes` : ethernetSummary(parsed);
    this.node.tracer.emit({
      kind: 'pdu',
      role: 'link',
      protocol: 'switch',
      iface: this.ports[ingress]!.name,
      direction: 'forward',
      length: frame.length,
      headerLength: isWireError(parsed) ? 14 : parsed.headerLength,
      text: `port ${ingress} > ${flooded ? `flood [${egress}]` : `port ${egress}`}: ${summary}`,
      header: {
        protocol: 'switch',
        ingress,
        egress,
        flooded,
        source: MacAddress.fromKey(MacAddress.keyAt(frame, 6)).toString(),
        destination: MacAddress.fromKey(MacAddress.keyAt(frame, 0)).toString(),
        etherType: isWireError(parsed) ? 0 : parsed.etherType,
        length: frame.length,
      },
    });
  }

  private note(key: number, message: string): void {
    const tracer = this.node.tracer;
    if (!tracer.active) return;
    tracer.emit({ kind: 'note', role: 'link', protocol: 'switch', entity: MacAddress.fromKey(key).toString(), message });
  }
}
