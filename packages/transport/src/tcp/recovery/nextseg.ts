// RFC 6675 §4 NextSeg rules (3) and (4), after rule (1) (lost holes, output.ts) and rule (2)
// (new data, output.ts) found nothing to send while the pipe leaves room: (3) resend the
// first un-SACKed range above HighRxt and below the highest SACKed byte even though IsLost()
// does not hold for it yet; (4) once per recovery, a "rescue" retransmission of the last
// un-SACKed segment below SND.MAX, setting RescueRxt to the recovery point (HighRxt is not
// moved). They keep a recovery near the end of the data moving without waiting for the RTO.

import { seqAdd, seqDiff, seqGt, seqLt, seqMax } from '../seq.ts';
import type { Tcb } from '../tcb.ts';

/** `resend(seq, maxLength)` resends from `seq` and returns the sequence space sent. */
export function sackRules3and4(tcb: Tcb, room: () => number, resend: (seq: number, maxLength: number) => number): void {
  const board = tcb.scoreboard;
  const highestSacked = board.highestSacked;
  if (highestSacked === undefined) return;
  for (let guard = 0; guard < 1000 && room() >= tcb.smss; guard++) {
    const from = seqMax(tcb.highRxt, tcb.sndUna);
    const hole = seqLt(from, highestSacked) ? board.nextHole(from, highestSacked) : undefined;
    if (hole === undefined) break;
    const sent = resend(hole[0], seqDiff(hole[1], hole[0]));
    if (sent === 0) return;
    tcb.stats.fastRetransmits++;
    tcb.highRxt = seqAdd(hole[0], sent);
  }
  // Rule 4.
  const r = tcb.recovery;
  if (room() < tcb.smss || (r.rescueValid && !seqGt(tcb.sndUna, r.rescueRxt))) return;
  if (!seqLt(highestSacked, tcb.sndMax) || board.isSacked(seqAdd(tcb.sndMax, -1))) return;
  const start = seqMax(seqMax(highestSacked, tcb.sndUna), seqAdd(tcb.sndMax, -tcb.smss));
  if (resend(start, seqDiff(tcb.sndMax, start)) > 0) {
    tcb.stats.fastRetransmits++;
    r.rescueRxt = tcb.recover;
    r.rescueValid = true;
  }
}
