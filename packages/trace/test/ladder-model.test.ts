import { describe, expect, it } from 'vitest';
import { buildLadder, type LadderArrow, type LadderState } from '../src/ladder/model.ts';
import { textbookEvents } from './support/textbook.ts';

const arrows = (rows: readonly { kind: string }[]): LadderArrow[] => rows.filter((r): r is LadderArrow => r.kind === 'arrow');
const states = (rows: readonly { kind: string }[], side: 0 | 1): string[] => rows.filter((r): r is LadderState => r.kind === 'state' && (r as LadderState).side === side).map((r) => r.state);

describe('buildLadder', () => {
  it('puts the active opener on the left and walks both sides through the RFC 9293 states', () => {
    const { events } = textbookEvents();
    const ladder = buildLadder(events);
    expect(ladder.participants.map((p) => [p.node, p.endpoint, p.initialState])).toEqual([
      ['client', '10.0.1.10:49152', 'CLOSED'],
      ['server', '10.0.2.10:80', 'LISTEN'],
    ]);
    expect(states(ladder.rows, 0)).toEqual(['SYN-SENT', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSED']);
    expect(states(ladder.rows, 1)).toEqual(['SYN-RECEIVED', 'ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED']);
    expect(arrows(ladder.rows).map((a) => `${a.from}:${a.label}`)).toEqual([
      '0:SYN seq=0 len=0',
      '1:SYN,ACK seq=0 ack=1 len=0',
      '0:ACK seq=1 ack=1 len=0',
      '0:PSH,ACK seq=1 ack=1 len=18',
      '1:PSH,ACK seq=1 ack=19 len=19',
      '0:FIN,ACK seq=19 ack=20 len=0',
      '1:ACK seq=20 ack=20 len=0',
      '1:FIN,ACK seq=20 ack=20 len=0',
      '0:ACK seq=20 ack=21 len=0',
    ]);
    expect(arrows(ladder.rows).every((a) => !a.lost && a.arrival === a.time + 2_000_000)).toBe(true);
    expect(ladder.rows.some((r) => r.kind === 'note' && r.text === '2*MSL = 1 min')).toBe(true);
  });

  it('draws the same connection whichever direction its key is given in', () => {
    const { events, world } = textbookEvents();
    expect(buildLadder(events, { connection: world.key('server') })).toEqual(buildLadder(events, { connection: world.key('client') }));
  });

  it('marks a lost segment and pairs the arrival with its retransmission, naming the loss', () => {
    const { events } = textbookEvents({ loseRequest: true });
    const data = arrows(buildLadder(events).rows).filter((a) => a.label === 'PSH,ACK seq=1 ack=1 len=18');
    expect(data.map((a) => [a.lost, a.retransmission, a.lossReason])).toEqual([
      [true, false, 'impairment: loss'],
      [false, true, undefined],
    ]);
    expect(data[1]!.arrival).toBe(data[1]!.time + 2_000_000);
  });

  it('gives sequence numbers relative to each side\'s ISN on request', () => {
    const { recorder } = textbookEvents();
    // The same exchange with ISNs 1000 and 5000: relative labels must not change.
    const shifted = textbookEvents({ isn: { client: 1000, server: 5000 } }).events;
    const absolute = arrows(buildLadder(shifted).rows).map((a) => a.label);
    const relative = arrows(buildLadder(shifted, { relative: true }).rows).map((a) => a.label);
    expect(absolute[1]).toBe('SYN,ACK seq=5000 ack=1001 len=0');
    expect(relative).toEqual(arrows(buildLadder(recorder.events).rows).map((a) => a.label));
  });

  it('draws any two nodes\' PDUs when no connection is chosen', () => {
    const { events } = textbookEvents();
    const ladder = buildLadder(events, { nodes: ['server', 'client'], protocols: ['tcp'] });
    const first = arrows(ladder.rows)[0]!;
    expect([first.from, first.label, first.lost]).toEqual([1, '[4 Transport] TCP SYN seq=0 len=0', false]);
    // The layer tag is the chosen model's.
    const osi = arrows(buildLadder(events, { nodes: ['server', 'client'], protocols: ['tcp'], model: 'tcpip-4' }).rows)[0]!;
    expect(osi.label).toBe('[3 Transport] TCP SYN seq=0 len=0');
  });
});
