// Urgent data (RFC 9293 §3.8.5, with RFC 6093's reading of the urgent pointer): the pointer
// names the sequence number of the byte *after* the urgent data (RFC 6093 §4, what BSD and
// Linux do, against RFC 1122's "last byte" wording). Sending: write(data, { urgent: true })
// sets SND.UP past the data; while SND.UP is ahead of a segment's sequence number, the
// segment carries URG and SEG.UP = SND.UP - SEG.SEQ (0xFFFF when further than 16 bits
// reach, as Linux). Receiving: RCV.UP <- max(RCV.UP, SEG.SEQ + SEG.UP) (§3.10.7.4 sixth step)
// in ESTABLISHED and FIN-WAIT-1/2; the bytes stay inline in the stream (RFC 6093 §6: no
// out-of-band byte) and the user is told, once per new mark, the stream offset where the
// urgent data ends.

import { seqAdd, seqDiff, seqGeq, seqGt } from './seq.ts';
import type { Tcb } from './tcb.ts';
import { TcpFlag, type TcpSegment } from './wire.ts';

/** SEND with the URGENT flag: the data just queued is urgent (call after pushing it). */
export function markUrgent(tcb: Tcb): void {
  tcb.sndUp = seqAdd(tcb.bufferSeq, tcb.sendBuffered);
  tcb.urgentMode = true;
}

/** Whether the sender is in urgent mode (SND.UP not yet acknowledged). */
export function inUrgentMode(tcb: Tcb): boolean {
  if (tcb.urgentMode && seqGeq(tcb.sndUna, tcb.sndUp)) tcb.urgentMode = false;
  return tcb.urgentMode;
}

/** SEG.UP for a segment starting at `seq`, or 0 when it carries no URG. */
export function urgentPointerFor(tcb: Tcb, seq: number): number {
  if (!inUrgentMode(tcb) || !seqGt(tcb.sndUp, seq)) return 0;
  return Math.min(seqDiff(tcb.sndUp, seq), 0xffff);
}

/** The sixth step of §3.10.7.4: note a new urgent mark; the user hears of it before the next data. */
export function urgentArrives(tcb: Tcb, seg: TcpSegment): void {
  if (!(seg.flags & TcpFlag.URG)) return;
  const s = tcb.state;
  if (s !== 'ESTABLISHED' && s !== 'FIN-WAIT-1' && s !== 'FIN-WAIT-2') return;
  const up = seqAdd(seg.seq, seg.urgentPointer);
  if (tcb.rcvUpValid && !seqGt(up, tcb.rcvUp)) return;
  tcb.rcvUp = up;
  tcb.rcvUpValid = true;
  tcb.urgentToSignal = true;
}

/** Where the peer's urgent data ends, as a byte offset from the start of the stream. */
export function urgentStreamOffset(tcb: Tcb): number {
  return seqDiff(tcb.rcvUp, seqAdd(tcb.irs, 1));
}
