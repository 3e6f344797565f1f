// The dissector registry and the frame walk: start at table 'link' with the frame's link
// type, let each layer's dissector say how long its header, payload and trailer are and
// which table decodes the payload, try that table's keys in order and then its heuristics,
// and stop where nobody claims the bytes (that is the data). Like Wireshark's epan loop,
// it never throws: a dissector that throws or overruns becomes a problem on the frame.

import type { Role } from './events.ts';
import type { DissectContext, DissectedLayer, Dissector, DissectorTable, DissectorTableName, LayerDissection } from './dissector.ts';

/** A whole frame, dissected. */
export interface DissectedFrame {
  /** Whole frame length in bytes. */
  readonly length: number;
  readonly linkType: string;
  /** Outermost first. */
  readonly layers: readonly DissectedLayer[];
  /** The bytes no dissector claimed: offset, length and the role they belong to. */
  readonly payload: { readonly offset: number; readonly length: number; readonly role: Role };
  /** Everything that did not check out, outermost layer first. */
  readonly problems: readonly string[];
}

/** Dissector tables: register codecs by key, then dissect frames with them. */
export class DissectorRegistry implements DissectorTable {
  private readonly tables = new Map<string, Map<string, Dissector>>();
  private readonly heuristics = new Map<string, Dissector[]>();
  private changes = 0;

  /** Counts registrations, so a cache of dissected frames knows when to start over. */
  get version(): number {
    return this.changes;
  }

  register(table: DissectorTableName, key: number | string, dissector: Dissector): this {
    let entries = this.tables.get(table);
    if (entries === undefined) this.tables.set(table, (entries = new Map()));
    entries.set(String(key), dissector);
    this.changes++;
    return this;
  }

  registerHeuristic(table: DissectorTableName, dissector: Dissector): this {
    const list = this.heuristics.get(table) ?? [];
    if (!list.includes(dissector)) list.push(dissector);
    this.heuristics.set(table, list);
    this.changes++;
    return this;
  }

  /** The dissector registered under `key` of `table`. */
  lookup(table: DissectorTableName, key: number | string): Dissector | undefined {
    return this.tables.get(table)?.get(String(key));
  }

  /** Table names and keys, for a reader who wants to know what is registered. */
  entries(): { table: string; key: string; protocol: string }[] {
    const out: { table: string; key: string; protocol: string }[] = [];
    for (const [table, entries] of this.tables) for (const [key, d] of entries) out.push({ table, key, protocol: d.protocol });
    for (const [table, list] of this.heuristics) for (const d of list) out.push({ table, key: '(heuristic)', protocol: d.protocol });
    return out;
  }

  /** Dissect one frame of `linkType` ('ethernet' unless said). Never throws. */
  dissect(bytes: Uint8Array, linkType = 'ethernet'): DissectedFrame {
    return this.dissectFrom(bytes, { table: 'link', keys: [linkType] }, linkType);
  }

  /**
   * Dissect bytes that start at a layer other than the link: `start` says which table and
   * keys decode the first header (an ICMP error's quoted datagram: 'ethertype', 0x0800).
   * `linkType` only labels the result. Never throws.
   */
  dissectFrom(bytes: Uint8Array, start: { table: DissectorTableName; keys: readonly (number | string)[] }, linkType = start.table): DissectedFrame {
    const layers: DissectedLayer[] = [];
    const problems: string[] = [];
    let candidates: Dissector[] = this.candidates(start);
    let offset = 0;
    let end = bytes.length;
    let payloadRole: Role = 'link';
    let network: DissectContext['network'];
    if (candidates.length === 0) problems.push(start.table === 'link' ? `no dissector for link type ${linkType}` : `no dissector in ${start.table} for ${start.keys.join(', ')}`);
    while (candidates.length > 0 && offset < end) {
      let found: { dissector: Dissector; layer: LayerDissection } | undefined;
      for (const dissector of candidates) {
        const context: DissectContext = network === undefined ? { outer: layers } : { outer: layers, network };
        let layer: LayerDissection | undefined;
        try {
          layer = dissector.dissect(bytes.subarray(offset, end), context);
        } catch (error) {
          problems.push(`${dissector.protocol} dissector threw: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        if (layer !== undefined) {
          found = { dissector, layer };
          break;
        }
      }
      if (found === undefined) break;
      const layer = found.layer;
      const available = end - offset;
      const headerLength = clamp(layer.headerLength, 0, available);
      const trailerLength = clamp(layer.trailerLength ?? 0, 0, available - headerLength);
      const payloadLength = clamp(layer.payloadLength, 0, available - headerLength - trailerLength);
      if (headerLength !== layer.headerLength || payloadLength !== layer.payloadLength) {
        problems.push(`${layer.title} says ${layer.headerLength}+${layer.payloadLength} bytes, ${available} are there`);
      }
      const padding = available - headerLength - payloadLength - trailerLength;
      if (layer.problems) problems.push(...layer.problems);
      const base = offset * 8;
      layers.push({
        ...layer,
        headerLength,
        payloadLength,
        trailerLength,
        offset,
        padding,
        fields: layer.fields.map((f) => ({ ...f, bitOffset: f.bitOffset + base })),
      });
      if (layer.role === 'network' && layer.header !== undefined && layer.header.protocol === 'ipv4') {
        network = { source: layer.header.source, destination: layer.header.destination, protocol: layer.header.ipProtocol };
      } else if (layer.role === 'network' && layer.endpoints !== undefined && layer.next?.table === 'ip.proto') {
        network = { source: layer.endpoints.source, destination: layer.endpoints.destination, protocol: Number(layer.next.keys[0]) };
      }
      offset += headerLength;
      end = offset + payloadLength;
      payloadRole = layer.payloadRole ?? layer.role;
      candidates = layer.next === undefined ? [] : this.candidates(layer.next);
    }
    return { length: bytes.length, linkType, layers, payload: { offset, length: Math.max(0, end - offset), role: payloadRole }, problems };
  }

  private candidates(next: { table: DissectorTableName; keys: readonly (number | string)[] }): Dissector[] {
    const out: Dissector[] = [];
    for (const key of next.keys) {
      const d = this.lookup(next.table, key);
      if (d !== undefined && !out.includes(d)) out.push(d);
    }
    for (const d of this.heuristics.get(next.table) ?? []) if (!out.includes(d)) out.push(d);
    return out;
  }
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Number.isFinite(value) ? Math.floor(value) : 0));
}

/** A whole-byte field at byte `offset` (from the header start) of `size` bytes. */
export function byteField(name: string, offset: number, size: number, value: string): { name: string; bitOffset: number; bitLength: number; value: string } {
  return { name, bitOffset: offset * 8, bitLength: size * 8, value };
}

/** "0x0800": hex with a prefix, zero-padded to `digits`. */
export function hexValue(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/**
 * The identity of a dissected frame from layer `from` inward: what stays the same while the
 * message crosses switches and routers, so a picture can follow it hop by hop.
 */
export function frameIdentity(frame: DissectedFrame, from: Role = 'network'): string | undefined {
  if (frame.layers.length === 0) return undefined;
  const start = frame.layers.findIndex((l) => l.role === from);
  // No network layer (ARP, a link-only protocol): everything inside the outermost framing.
  const inner = start >= 0 ? frame.layers.slice(start) : frame.layers.length > 1 ? frame.layers.slice(1) : frame.layers;
  return inner
    .map((l) => `${l.protocol}:${l.identity ?? l.summary}`)
    .join('|');
}

/** The innermost layer that names a conversation (a transport's 4-tuple), if any. */
export function conversationLayer(frame: DissectedFrame): DissectedLayer | undefined {
  for (let i = frame.layers.length - 1; i >= 0; i--) if (frame.layers[i]!.conversation) return frame.layers[i];
  return undefined;
}
