import { describe, expect, it } from 'vitest';
import { buildLadder } from '../src/ladder/model.ts';
import { renderLadderText } from '../src/ladder/text.ts';
import { ladder } from '../src/ladder/index.ts';
import { expectGolden } from './support/golden.ts';
import { textbookEvents } from './support/textbook.ts';

describe('renderLadderText', () => {
  it('draws the textbook handshake, data and teardown (golden, 100 columns)', () => {
    const { events } = textbookEvents();
    const text = renderLadderText(buildLadder(events), { width: 100 });
    expectGolden('ladder-textbook-100.txt', text);
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('fits 80 columns with relative numbers (golden)', () => {
    const { events } = textbookEvents();
    const text = renderLadderText(buildLadder(events, { relative: true }), { width: 80 });
    expectGolden('ladder-textbook-80-relative.txt', text);
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('ends a lost segment in an X and marks its retransmission (golden)', () => {
    const { events } = textbookEvents({ loseRequest: true });
    const text = ladder(events);
    expectGolden('ladder-loss-100.txt', text);
    expect(text).toMatch(/\|-+ PSH,ACK seq=1 ack=1 len=18 \[lost\] -+X +\|/);
    expect(text).toContain('[retransmission] PSH,ACK seq=1 ack=1 len=18');
    expect(text).toContain('(lost: impairment: loss)');
  });

  it('uses colour only when asked', () => {
    const { events } = textbookEvents();
    const model = buildLadder(events);
    expect(renderLadderText(model)).not.toContain('\x1b[');
    const coloured = renderLadderText(model, { color: true });
    expect(coloured).toContain('\x1b[33m');
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(renderLadderText(model));
  });
});

describe('renderLadderText over the real stack', () => {
  it('draws a real run through lab\'s default stacks: handshake, data, teardown, TIME-WAIT (golden)', async () => {
    const { realExchange } = await import('./support/real-run.ts');
    const { events } = realExchange();
    const text = renderLadderText(buildLadder(events), { width: 100 });
    expectGolden('ladder-real-run-100.txt', text);
    for (const state of ['SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED']) expect(text).toContain(state);
    expect(text).toContain('(2*MSL = 4 min)');
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });
});
