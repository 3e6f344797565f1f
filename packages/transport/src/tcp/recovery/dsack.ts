// D-SACK (RFC 2883). Receiver: a segment whose data we already hold (all of it below RCV.NXT,
// §4 case 1) is reported in the first SACK block of the ACK it triggers, once. Sender: a first
// SACK block below SEG.ACK, or inside the second block (§4), is a D-SACK: it says which
// range arrived twice, so a retransmission of it was unnecessary (used by undo.ts, RFC 3708,
// and by RACK's reordering window, RFC 8985 §6.2 step 4).

import type { SackBlock } from '../options.ts';
import { seqAdd, seqGeq, seqLeq, seqLt } from '../seq.ts';
import type { Tcb } from '../tcb.ts';

/** Receiver: `seq`/`length` arrived but RCV.NXT is already past (part of) it. Remember the duplicate part. */
export function noteDuplicate(tcb: Tcb, seq: number, length: number): void {
  if (!tcb.host.config.dsack || !tcb.sackOk || length <= 0) return;
  const end = seqAdd(seq, length);
  const right = seqLt(end, tcb.rcvNxt) ? end : tcb.rcvNxt;
  if (!seqLt(seq, right)) return;
  const r = tcb.recovery;
  r.dsackLeft = seq;
  r.dsackRight = right;
  r.dsackPending = true;
}

/** The D-SACK block the next ACK carries first, taken (reported once); undefined if none is owed. */
export function takeDsackBlock(tcb: Tcb): SackBlock | undefined {
  const r = tcb.recoveryOrNull;
  if (r === null || !r.dsackPending) return undefined;
  r.dsackPending = false;
  return [r.dsackLeft, r.dsackRight];
}

/** Sender: the D-SACK range a received ACK reports, if its first block is one (RFC 2883 §4). */
export function dsackOf(blocks: readonly SackBlock[] | undefined, ack: number): SackBlock | undefined {
  if (blocks === undefined || blocks.length === 0) return undefined;
  const [left, right] = blocks[0]!;
  if (!seqLt(left, right)) return undefined;
  if (seqLeq(right, ack)) return blocks[0];
  const second = blocks[1];
  if (second !== undefined && seqGeq(left, second[0]) && seqLeq(right, second[1])) return blocks[0];
  return undefined;
}
