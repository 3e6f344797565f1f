// The dissector contract: one codec per protocol, registered by the package that owns the
// protocol, in tables keyed the way Wireshark keys its dissector tables ('ethertype',
// 'ip.proto', 'udp.port', 'tcp.port', ...) plus heuristic lists. Each package exports
// `registerDissectors(registry)` beside its parse/emit; the dissector calls the package's
// real parser on the bytes and says what a picture needs: named fields with bit offsets
// and sizes, a tcpdump-style line, endpoints, a conversation key, what stays the same
// across hops (to follow one message through routers), and which table decodes its payload.
// Renderers ask a registry (dissect-frame.ts); they never parse bytes and never name a
// protocol.

import type { Role } from './events.ts';
import type { PduHeader } from './headers.ts';

/**
 * Table names. 'link' is keyed by link type ('ethernet', 'ppp'); the others as Wireshark
 * keys them: 'ethertype' (0x0800), 'ppp.protocol' (0x0021), 'ip.proto' (6), 'tcp.port' and
 * 'udp.port' (80, 53; the lower port is tried first). Any other string names a table of
 * a protocol someone added ('my-transport.port').
 */
export type DissectorTableName = 'link' | 'ethertype' | 'ppp.protocol' | 'ip.proto' | 'tcp.port' | 'udp.port' | (string & {});

/** One header field: where it sits and what it holds, as a person reads it. */
export interface DissectedField {
  readonly name: string;
  /** Bit offset: from the start of this layer's header in what a dissector returns; from the start of the frame in a DissectedFrame. */
  readonly bitOffset: number;
  readonly bitLength: number;
  /** "10.0.1.10", "0x0800 (IPv4)", "SYN, ACK". */
  readonly value: string;
}

/** Where to go next: the keys of `table` to try, in order, then the table's heuristics. */
export interface NextLayer {
  readonly table: DissectorTableName;
  readonly keys: readonly (number | string)[];
}

/** What a sequence-numbered protocol tells the ladder, for numbers relative to each side's first. */
export interface SequenceInfo {
  readonly seq: number;
  readonly ack?: number;
  /** This PDU carries the side's initial sequence number (TCP's SYN). */
  readonly initial: boolean;
}

/** A base for relative numbering: the sender's initial number and its peer's, when known. */
export interface RelativeBase {
  readonly own: number;
  readonly peer: number | undefined;
}

/** One layer as its dissector sees it, offsets relative to the start of its header. */
export interface LayerDissection {
  /** Short name, lower case: 'tcp', 'ipv4', 'go-back-n'. */
  readonly protocol: string;
  /** Display name: 'TCP', 'IPv4', 'Ethernet II'. */
  readonly title: string;
  /** The five-layer role that owns this header. */
  readonly role: Role;
  /** Bytes of this layer's header (options included). */
  readonly headerLength: number;
  /** Bytes of payload after the header that belong to this PDU (padding excluded). */
  readonly payloadLength: number;
  /** Bytes after the payload that this layer owns (Ethernet FCS, PPP FCS-16). */
  readonly trailerLength?: number;
  /** Header fields (and trailer fields), bit offsets from the start of the header. */
  readonly fields: readonly DissectedField[];
  /** One line, tcpdump style, with addresses when this layer knows them ("10.0.0.1.49152 > 10.0.0.2.80: Flags [S], seq 0, ..."). */
  readonly summary: string;
  /** A shorter summary for narrow terminals (without options, say). Default: the summary. */
  readonly brief?: string;
  /** More for a detailed ladder label ("win=65535 mss=1460"). */
  readonly detail?: string;
  /** The typed header, as a pdu event of this protocol would carry it. */
  readonly header?: PduHeader;
  /** Source and destination in this layer's terms: MACs, IP addresses, "ip:port". */
  readonly endpoints?: { readonly source: string; readonly destination: string };
  /** This layer names a conversation (a transport's 4-tuple): endpoints are its two ends. */
  readonly conversation?: boolean;
  /**
   * What stays the same when the PDU is relayed (no TTL, no checksum), to follow one
   * message through switches and routers. Default: the summary.
   */
  readonly identity?: string;
  /** The ladder's arrow label ("SYN seq=0 len=0"). Default: the summary. */
  readonly label?: string;
  /** For relative numbering on the ladder; with it, `labelWith` gives the relative label. */
  readonly sequence?: SequenceInfo;
  readonly labelWith?: (base: RelativeBase) => string;
  /** What decodes the payload. */
  readonly next?: NextLayer;
  /** The role of the payload when no dissector claims it ('application' after a transport). */
  readonly payloadRole?: Role;
  /** What did not parse or check out ("TCP checksum is wrong"). */
  readonly problems?: readonly string[];
  /**
   * This layer's text in a tcpdump 4.99 `-nn` line, as the protocol's printer in tcpdump
   * writes it, with the text of the layers inside it in `context.inner` (IPv4 returns
   * "IP 10.0.0.1.49152 > 10.0.0.2.80: " + the TCP text). Without it, the summary is used.
   */
  readonly line?: (context: LineContext) => string;
}

/** Options of a tcpdump-style line, as tcpdump's flags set them. */
export interface LineOptions {
  /** Absolute TCP sequence numbers (tcpdump -S); default relative, as tcpdump prints them. */
  readonly absoluteSequence?: boolean;
  /** Verbose (tcpdump -v): IP header fields, checksums, application details. */
  readonly verbose?: boolean;
}

/** What a layer's `line` is given: the options, the state kept across one capture, the inner text. */
export interface LineContext {
  readonly options: LineOptions;
  /**
   * State kept across the lines of one capture or run, keyed by the protocol that owns it
   * (TCP keeps each connection's initial sequence numbers here, as tcpdump's tcp_seq_hash).
   */
  readonly state: Map<string, unknown>;
  /** The line text of the layers inside this one (undefined when none printed). */
  readonly inner?: string;
  /** The layer just inside this one, when there is one. */
  readonly innerLayer?: LayerDissection;
  /**
   * The line text of other bytes decoded from a table ('ethertype', 0x0800): what an ICMP
   * error prints of the datagram it quotes under -v. Undefined when nobody decodes them.
   */
  readonly nested?: (bytes: Uint8Array, table: DissectorTableName, key: number | string) => string | undefined;
}

/** What a dissector knows about the layers around it. */
export interface DissectContext {
  /** The layers already dissected, outermost first (absolute offsets). */
  readonly outer: readonly DissectedLayer[];
  /** The network layer's addresses and protocol, once a network dissector has run (for pseudo-header checksums). */
  readonly network?: { readonly source: string; readonly destination: string; readonly protocol: number };
}

/** The codec of one protocol, as a picture sees it. */
export interface Dissector {
  readonly protocol: string;
  /**
   * Decode `bytes` (this layer's header through the end of what the outer layer carries)
   * with the protocol's real parser. Undefined when the bytes are not this protocol (a
   * heuristic said no). Never throws: what does not check out goes in `problems`.
   */
  dissect(bytes: Uint8Array, context: DissectContext): LayerDissection | undefined;
}

/** A layer placed in its frame: offsets from the start of the frame. */
export interface DissectedLayer extends LayerDissection {
  /** Byte offset of the header in the frame. */
  readonly offset: number;
  /** Bytes the outer layer carried beyond this PDU (Ethernet padding after an IPv4 packet). */
  readonly padding: number;
}

/** Whatever registers dissectors: a registry, or a student's wrapper around one. */
export interface DissectorTable {
  register(table: DissectorTableName, key: number | string, dissector: Dissector): this;
  registerHeuristic(table: DissectorTableName, dissector: Dissector): this;
}
