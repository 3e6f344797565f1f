// TCP (RFC 9293): wire format, connection state machine, sockets.
export { TcpLayer, type TcpConnectionInfo } from './layer.ts';
export { TcpSocket } from './socket.ts';
export type { TcpWriteOptions } from './validate.ts';
export { TcpListener } from './listener.ts';
export type { TcpOptions, TcpConfig } from './config.ts';
export { resolveTcpConfig, windowScaleFor } from './config.ts';
export { TCP_PROFILES, tcpProfile, tcpProfileNames, type TcpProfile, type TcpProfileName } from './profiles.ts';
export type { TcpState, TcpConnectionStats, TcpTimerName } from './tcb.ts';
export {
  TcpFlag,
  TCP_HEADER_LENGTH,
  parseTcpSegment,
  emitTcpSegment,
  tcpHeaderLength,
  segmentLength,
  type TcpSegment,
  type TcpSegmentFields,
  type ParseTcpOptions,
} from './wire.ts';
export { TcpOptionKind, parseTcpOptions, writeTcpOptions, tcpOptionsLength, type TcpHeaderOptions, type TcpOtherOption, type SackBlock, type TcpTimestamps } from './options.ts';
export { TCP_OPTION_NAMES, tcpOptionName, type TcpOptionName } from './option-names.ts';
export { tcpSummary, tcpFlagNames, tcpFlagList, tcpdumpFlags, tcpHeaderInfo } from './summary.ts';
export { seqAdd, seqDiff, seqLt, seqLeq, seqGt, seqGeq, seqMax, seqMin, seqInRange } from './seq.ts';
export { IsnGenerator, halfSipHash, type ConnectionTuple } from './isn.ts';
export { RtoEstimator, type RtoBounds, type RtoFormula, type RtoRound } from './rto.ts';
