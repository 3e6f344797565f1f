// Trace helpers for a connection: timer events, state events and the congestion metrics
// (cwnd, ssthresh, recovery, srtt, rto) published as `metric` events when they change.
// Every helper checks `tracer.active` first, so an untraced run builds nothing.

import type { DropReason } from '@netlayers/core';
import type { Tcb, TcpState, TcpTimerName } from './tcb.ts';
import type { TcpSegment } from './wire.ts';

export function traceTimer(tcb: Tcb, action: 'set' | 'fired' | 'cancelled', timer: TcpTimerName, duration?: number): void {
  const tracer = tcb.host.node.tracer;
  if (!tracer.active) return;
  if (duration === undefined) tracer.emit({ kind: 'timer', role: 'transport', protocol: 'tcp', action, timer, entity: tcb.key });
  else tracer.emit({ kind: 'timer', role: 'transport', protocol: 'tcp', action, timer, entity: tcb.key, duration });
}

/** Count and trace a received segment (or `length` bytes of it) that this connection discards. */
export function dropSegment(tcb: Tcb, reason: DropReason, detail: string, seg: TcpSegment, length = seg.payload.length): void {
  tcb.host.node.tracer.drop('transport', 'tcp', reason, detail, length, { connection: tcb.peerKey });
}

export function traceState(tcb: Tcb, from: TcpState, to: TcpState, cause: string): void {
  const tracer = tcb.host.node.tracer;
  if (!tracer.active) return;
  tracer.emit({ kind: 'state', role: 'transport', protocol: 'tcp', entity: tcb.key, from, to, cause });
}

export function traceNote(tcb: Tcb, message: string): void {
  const tracer = tcb.host.node.tracer;
  if (!tracer.active) return;
  tracer.emit({ kind: 'note', role: 'transport', protocol: 'tcp', entity: tcb.key, message });
}

const RECOVERY_CODE = { open: 0, recovery: 1, loss: 2 } as const;
const RECOVERY_NAME = ['open', 'recovery', 'loss'] as const;

/** Publish cwnd, ssthresh, recovery state, srtt and rto if any changed since last time. */
export function publishMetrics(tcb: Tcb): void {
  const tracer = tcb.host.node.tracer;
  if (!tracer.active) return;
  const recovery = tcb.inRecovery ? RECOVERY_CODE.recovery : tcb.rto.backoffs > 0 ? RECOVERY_CODE.loss : RECOVERY_CODE.open;
  const srtt = tcb.rto.srtt === undefined ? -1 : Math.round(tcb.rto.srtt);
  const values: [number, number, number, number, number] = [tcb.cc.cwnd, tcb.cc.ssthresh, recovery, srtt, tcb.rto.rto];
  const last = tcb.lastMetrics;
  if (last !== null && values[0] === last[0] && values[1] === last[1] && values[2] === last[2] && values[3] === last[3] && values[4] === last[4]) return;
  tcb.lastMetrics = values;
  const fields: Record<string, number | string> = { cwnd: values[0], ssthresh: values[1], recovery: RECOVERY_NAME[recovery]!, rto: values[4] };
  if (srtt >= 0) fields.srtt = srtt;
  tracer.emit({ kind: 'metric', role: 'transport', protocol: 'tcp', entity: tcb.key, values: fields });
}
