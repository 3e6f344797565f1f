// The parsed form of a packetdrill script: options, then timed events (system calls,
// inbound `<` and expected outbound `>` packets). Times are in microseconds, as packetdrill
// writes them; sequence numbers are the script's (remote side absolute, local side relative
// to the local ISN, as packetdrill's conventions give them).

/** Where a construct starts in the script (1-based). */
export interface Location {
  readonly line: number;
  readonly column: number;
}

/** A parse problem. `unsupported` marks valid packetdrill this runner does not implement. */
export interface Diagnostic extends Location {
  readonly message: string;
  readonly unsupported: boolean;
}

/** A point in time: absolute (`1.5`) or relative to the previous event (`+0.1`), in µs. */
export interface TimePoint {
  readonly relative: boolean;
  readonly usecs: number;
}

export type TimeSpec =
  | { readonly kind: 'point'; readonly at: TimePoint }
  /** `0.1~0.2` or `+0.1~+0.2`: any time in the range. */
  | { readonly kind: 'range'; readonly from: TimePoint; readonly to: TimePoint }
  /** `*`: any time. */
  | { readonly kind: 'any' };

/** A syscall argument or result, loosely typed as packetdrill's expressions are. */
export type Expr =
  | { readonly kind: 'ellipsis' }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'ident'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly Expr[] }
  | { readonly kind: 'struct'; readonly fields: readonly { readonly name: string | undefined; readonly value: Expr }[] }
  | { readonly kind: 'or'; readonly terms: readonly Expr[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[] };

export interface SyscallEvent {
  readonly type: 'syscall';
  readonly name: string;
  readonly args: readonly Expr[];
  /** Expected return value (`= 3`, `= -1`). */
  readonly result: number;
  /** Expected errno name when the result is -1 (`EAGAIN`). */
  readonly errno: string | undefined;
  /** For a blocking call (`0...0.1 accept(...)`): when it must return. */
  readonly end: TimePoint | undefined;
}

/** One TCP option as written in `<...>`, in order. */
export type TcpOptionSpec =
  | { readonly kind: 'nop' }
  | { readonly kind: 'eol' }
  | { readonly kind: 'mss'; readonly value: number }
  | { readonly kind: 'wscale'; readonly value: number }
  | { readonly kind: 'sackOK' }
  | { readonly kind: 'sack'; readonly blocks: readonly (readonly [number, number])[] }
  | { readonly kind: 'TS'; readonly val: number; readonly ecr: number };

export interface TcpPacketSpec {
  readonly protocol: 'tcp';
  /** Flag letters as written: S . F R P U E W. */
  readonly flags: string;
  readonly seqStart: number;
  readonly seqEnd: number;
  readonly length: number;
  readonly ack: number | undefined;
  readonly win: number | undefined;
  readonly urg: number | undefined;
  /** undefined: no `<...>` (no options inbound, any options outbound? no: none); 'any': `<...>`. */
  readonly options: readonly TcpOptionSpec[] | 'any' | undefined;
}

export interface UdpPacketSpec {
  readonly protocol: 'udp';
  readonly length: number;
}

export interface IcmpPacketSpec {
  readonly protocol: 'icmp';
  /** `unreachable`, `time_exceeded`... */
  readonly type: string;
  /** `port_unreachable`, `frag_needed`, `net_unreachable`... */
  readonly code: string | undefined;
  readonly mtu: number | undefined;
  /** The quoted TCP segment `[1:1001(1000)]`, relative to the local ISN. */
  readonly quoted: { readonly seqStart: number; readonly seqEnd: number; readonly length: number } | undefined;
}

export type PacketSpec = TcpPacketSpec | UdpPacketSpec | IcmpPacketSpec;

export interface PacketEvent {
  readonly type: 'packet';
  /** '<' the remote sends it to the stack; '>' the stack must send it. */
  readonly direction: '<' | '>';
  readonly packet: PacketSpec;
}

export type EventBody = SyscallEvent | PacketEvent;

export type ScriptEvent = EventBody & {
  readonly time: TimeSpec;
  readonly location: Location;
  /** The line's text, for failure messages. */
  readonly text: string;
};

export interface Script {
  /** `--name=value` lines before the first event. */
  readonly options: ReadonlyMap<string, string>;
  readonly events: readonly ScriptEvent[];
}
