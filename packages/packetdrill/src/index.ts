// @netlayers/packetdrill: run packetdrill scripts (system calls and packets with timing)
// against any TCP that implements core's stream contract, in virtual time. The runner and
// parser depend on @netlayers/core only; netlayers' own TCP is wired in './netlayers.ts'
// (entry '@netlayers/packetdrill/netlayers'), and files are read in './file.ts'.

export type * from './ast.ts';
export { parseScript, type ParseResult } from './parser.ts';
export {
  runPacketdrillScript,
  DEFAULT_TOLERANCE_USECS,
  DEFAULT_LOCAL_IP,
  DEFAULT_REMOTE_IP,
  type RunOptions,
  type RunResult,
  type PacketdrillFailure,
  type FailureKind,
} from './runner.ts';
export { RUNNER_OPTIONS, type StackFactory, type StackHost, type StackUnderTest } from './stack.ts';
export { DEFAULT_LOCAL_PORT, REMOTE_CLIENT_PORT, REMOTE_SERVER_PORT } from './sockets.ts';
export { emitTcp, parseTcp, emitUdp, parseUdp, emitIpv4, type TcpFields, type ParsedTcp } from './wire.ts';
export { scriptSyntax, tcpdumpLine } from './format.ts';
