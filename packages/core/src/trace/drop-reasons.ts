// The one enum of reasons a layer drops a packet (after INET's drop-reason list). Every
// drop is traced with one of these and counted per node, role and reason.

export const DropReason = {
  Truncated: 'truncated',
  Malformed: 'malformed',
  BadChecksum: 'bad-checksum',
  BadFcs: 'bad-fcs',
  BadVersion: 'bad-version',
  BadHeaderLength: 'bad-header-length',
  BadLength: 'bad-length',
  BadOption: 'bad-option',
  UnknownProtocol: 'unknown-protocol',
  NotForUs: 'not-for-us',
  NoRoute: 'no-route',
  TtlExpired: 'ttl-expired',
  QueueFull: 'queue-full',
  TooBig: 'too-big',
  InterfaceDown: 'interface-down',
  ArpFailed: 'arp-failed',
  ReassemblyTimeout: 'reassembly-timeout',
  ReassemblyOverflow: 'reassembly-overflow',
  FragmentInvalid: 'fragment-invalid',
  PortUnreachable: 'port-unreachable',
  NoSocket: 'no-socket',
  OutOfWindow: 'out-of-window',
  BadState: 'bad-state',
  RateLimited: 'rate-limited',
  Impairment: 'impairment',
  Collision: 'collision',
  Filtered: 'filtered',
  BufferFull: 'buffer-full',
} as const;

export type DropReason = (typeof DropReason)[keyof typeof DropReason];
