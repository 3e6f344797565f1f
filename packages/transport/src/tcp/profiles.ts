// Stack profiles: named sets of defaults for loss recovery and timers, chosen per TcpLayer
// with `profile`. 'rfc' follows the RFCs' own defaults (RFC 6298 §2.4's 1 s minimum RTO,
// RFC 5681 §3.1's initial window, RFC 1122 §4.2.3.2's 200 ms delayed ACK, loss detection by
// duplicate ACKs and RFC 6675 SACK only, RFC 1122 §4.2.3.4's Nagle rule). 'linux' follows Linux's defaults (200 ms minimum
// RTO as TCP_RTO_MIN, floored on the variance term as Linux computes it, RFC 6928 initial
// window of 10, a 40 ms delayed ACK as TCP_DELACK_MIN, CUBIC (RFC 9438) as Linux's default
// tcp_congestion_control, RFC 8985 RACK-TLP with Linux's probe timeout, RFC 6937 PRR, RFC
// 2883 D-SACK with undo of spurious retransmissions, Minshall's variant of Nagle as
// tcp_minshall_check).
// Any option given explicitly overrides the profile's value.

import { InvalidArgumentError } from '@netlayers/core';
import type { InitialWindowPolicy } from './congestion/initial-window.ts';
import type { CongestionControlName } from './congestion/types.ts';
import type { RtoFormula } from './rto.ts';

export type TcpProfileName = 'rfc' | 'linux';

/**
 * The Tail Loss Probe's timeout (RFC 8985 §7.2). 'rfc8985': PTO = 2*SRTT, plus WCDelAckT
 * (200 ms) when one segment is in flight. 'linux': 2*SRTT + TCP_TIMEOUT_MIN (2 ms), or plus
 * the minimum RTO when one segment is in flight (tcp_schedule_loss_probe()). Both are capped
 * at the RTO's expiration.
 */
export type PtoFormula = 'rfc8985' | 'linux';

/** Nagle's rule (RFC 1122 §4.2.3.4, or Minshall's variant as Linux's tcp_minshall_check). */
export type NagleRule = 'rfc1122' | 'minshall';

export const tcpProfileNames: readonly TcpProfileName[] = Object.freeze(['rfc', 'linux'] as const);

/** The knobs a profile sets. Every one is also a TcpOptions field of the same name. */
export interface TcpProfile {
  readonly rtoMin: string;
  /** How the RTO is computed from RTT samples (rto.ts): RFC 6298's or Linux's. */
  readonly rtoFormula: RtoFormula;
  readonly congestionControl: CongestionControlName;
  readonly delayedAck: string;
  readonly initialWindow: InitialWindowPolicy;
  /** RFC 8985 §6.2: RACK time-based loss detection. */
  readonly rack: boolean;
  /** RFC 8985 §7: Tail Loss Probe. */
  readonly tlp: boolean;
  /** How the probe timeout is computed (see PtoFormula). */
  readonly ptoFormula: PtoFormula;
  /** RFC 6937: Proportional Rate Reduction during recovery. */
  readonly prr: boolean;
  /** RFC 2883: send D-SACK blocks for duplicate segments. */
  readonly dsack: boolean;
  /** RFC 3708-style (D-SACK) and RFC 5682 F-RTO detection of spurious retransmissions, undoing the window reduction. */
  readonly undo: boolean;
  /** Which Nagle rule holds back short segments. */
  readonly nagle: NagleRule;
}

export const TCP_PROFILES: Readonly<Record<TcpProfileName, TcpProfile>> = Object.freeze({
  rfc: Object.freeze({ rtoMin: '1s', rtoFormula: 'rfc6298', congestionControl: 'newreno', delayedAck: '200ms', initialWindow: 'rfc5681', rack: false, tlp: false, ptoFormula: 'rfc8985', prr: false, dsack: false, undo: false, nagle: 'rfc1122' }),
  linux: Object.freeze({ rtoMin: '200ms', rtoFormula: 'linux', congestionControl: 'cubic', delayedAck: '40ms', initialWindow: 'rfc6928', rack: true, tlp: true, ptoFormula: 'linux', prr: true, dsack: true, undo: true, nagle: 'minshall' }),
});

/** The profile `name` names ('rfc' when undefined); InvalidArgumentError for anything else. */
export function tcpProfile(name: TcpProfileName | undefined): TcpProfile {
  if (name === undefined) return TCP_PROFILES.rfc;
  if (name !== 'rfc' && name !== 'linux') throw new InvalidArgumentError('profile', name, "must be 'rfc' or 'linux'");
  return TCP_PROFILES[name];
}
