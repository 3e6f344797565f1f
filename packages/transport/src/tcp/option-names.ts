// Names of TCP option kinds, as IANA's "TCP Option Kind Numbers" registry assigns them
// (RFC 9293 §3.2 and the RFCs each entry cites), with tcpdump's short spelling where
// tcpdump has one (print-tcp.c: "mss", "wscale", "sackOK", "TS", "md5", "tcp-ao",
// "mptcp", "tfo", "exp", ...). Renderers use the table to show options this
// implementation does not act on, instead of a bare kind number.

export interface TcpOptionName {
  /** IANA's meaning, e.g. "Multipath TCP (MPTCP)". */
  readonly name: string;
  /** A short lower-case label for one-line output: tcpdump's where it has one. */
  readonly short: string;
  /** The defining document. */
  readonly reference: string;
}

const entry = (name: string, short: string, reference: string): TcpOptionName => Object.freeze({ name, short, reference });

/** Every assigned kind in the IANA registry, by kind number. */
export const TCP_OPTION_NAMES: ReadonlyMap<number, TcpOptionName> = new Map<number, TcpOptionName>([
  [0, entry('End of Option List', 'eol', 'RFC 9293')],
  [1, entry('No-Operation', 'nop', 'RFC 9293')],
  [2, entry('Maximum Segment Size', 'mss', 'RFC 9293')],
  [3, entry('Window Scale', 'wscale', 'RFC 7323')],
  [4, entry('SACK Permitted', 'sackOK', 'RFC 2018')],
  [5, entry('SACK', 'sack', 'RFC 2018')],
  [6, entry('Echo (obsoleted by option 8)', 'echo', 'RFC 1072, RFC 6247')],
  [7, entry('Echo Reply (obsoleted by option 8)', 'echoreply', 'RFC 1072, RFC 6247')],
  [8, entry('Timestamps', 'TS', 'RFC 7323')],
  [9, entry('Partial Order Connection Permitted (obsolete)', 'pocp', 'RFC 1693, RFC 6247')],
  [10, entry('Partial Order Service Profile (obsolete)', 'posp', 'RFC 1693, RFC 6247')],
  [11, entry('CC (obsolete)', 'cc', 'RFC 1644, RFC 6247')],
  [12, entry('CC.NEW (obsolete)', 'ccnew', 'RFC 1644, RFC 6247')],
  [13, entry('CC.ECHO (obsolete)', 'ccecho', 'RFC 1644, RFC 6247')],
  [14, entry('TCP Alternate Checksum Request (obsolete)', 'altsum-req', 'RFC 1146, RFC 6247')],
  [15, entry('TCP Alternate Checksum Data (obsolete)', 'altsum', 'RFC 1146, RFC 6247')],
  [16, entry('Skeeter', 'skeeter', 'Stev Knowles')],
  [17, entry('Bubba', 'bubba', 'Stev Knowles')],
  [18, entry('Trailer Checksum Option', 'trailer-cksum', 'Subbu Subramaniam, Monroe Bridges')],
  [19, entry('MD5 Signature Option (obsoleted by option 29)', 'md5', 'RFC 2385')],
  [20, entry('SCPS Capabilities', 'scps', 'Keith Scott')],
  [21, entry('Selective Negative Acknowledgements', 'snack', 'Keith Scott')],
  [22, entry('Record Boundaries', 'rec-bound', 'Keith Scott')],
  [23, entry('Corruption experienced', 'corrupt', 'Keith Scott')],
  [24, entry('SNAP', 'snap', 'Vladimir Sukonnik')],
  [26, entry('TCP Compression Filter', 'compress', 'Steve Bellovin')],
  [27, entry('Quick-Start Response', 'qs', 'RFC 4782')],
  [28, entry('User Timeout Option', 'uto', 'RFC 5482')],
  [29, entry('TCP Authentication Option (TCP-AO)', 'tcp-ao', 'RFC 5925')],
  [30, entry('Multipath TCP (MPTCP)', 'mptcp', 'RFC 8684')],
  [34, entry('TCP Fast Open Cookie', 'tfo', 'RFC 7413')],
  [69, entry('Encryption Negotiation (TCP-ENO)', 'tcp-eno', 'RFC 8547')],
  [172, entry('Accurate ECN Order 0 (AccECN0)', 'accecn0', 'draft-ietf-tcpm-accurate-ecn')],
  [174, entry('Accurate ECN Order 1 (AccECN1)', 'accecn1', 'draft-ietf-tcpm-accurate-ecn')],
  [253, entry('RFC3692-style Experiment 1', 'exp', 'RFC 4727')],
  [254, entry('RFC3692-style Experiment 2', 'exp', 'RFC 4727')],
]);

/** The short label of `kind` ("mptcp", "tfo", ...), or "opt-<kind>" for an unassigned kind. */
export function tcpOptionName(kind: number): string {
  return TCP_OPTION_NAMES.get(kind)?.short ?? `opt-${kind}`;
}
