// The ladder over a medium that duplicates frames (netem "duplicate", lab impairments
// `duplicate`): it draws exactly the arrows the capture points saw: one arrow tail per frame
// the sender's NIC sent, one arrowhead per frame the peer's NIC received, and each copy the
// medium made as its own arrow marked [duplicate], neither missing nor one too many.

import type { FrameEvent, TraceEvent } from '@netlayers/core';
import { Network } from '@netlayers/lab';
import { describe, expect, it } from 'vitest';
import { buildLadder, type LadderArrow } from '../src/ladder/model.ts';
import { renderLadderText } from '../src/ladder/text.ts';
import { TraceRecorder } from '../src/recorder.ts';

function duplicatingRun(duplicate: number, seed: number): readonly TraceEvent[] {
  const net = new Network({ seed });
  const recorder = new TraceRecorder().record(net.trace);
  const client = net.addHost('client', { tcp: { initialSequenceNumber: 0 } });
  const server = net.addHost('server', { tcp: { initialSequenceNumber: 0 } });
  net.connect([client, '10.0.1.10/24'], [server, '10.0.1.20/24'], { delay: '1ms', impairments: { duplicate } });
  server.tcp.listen({ port: 80 }).on('connection', (s) => s.on('data', () => s.end('ok')));
  const socket = client.tcp.connect({ remoteAddress: '10.0.1.20', remotePort: 80 });
  socket.on('connect', () => socket.end('hi'));
  net.runUntilIdle();
  return recorder.events;
}

const frames = (events: readonly TraceEvent[], node: string, action: FrameEvent['action']): FrameEvent[] =>
  events.filter((e): e is FrameEvent => e.kind === 'frame' && e.node === node && e.action === action);

/** Per direction: the arrows against what the two NICs captured. */
function checkAgainstCaptures(events: readonly TraceEvent[], arrows: readonly LadderArrow[], names: readonly [string, string]): void {
  for (const from of [0, 1] as const) {
    const [sender, receiver] = from === 0 ? names : [names[1], names[0]];
    const mine = arrows.filter((a) => a.from === from);
    const sent = frames(events, sender, 'tx');
    const received = frames(events, receiver, 'rx');
    expect(mine.filter((a) => !a.duplicate).map((a) => a.time), `${sender}'s arrow tails`).toEqual(sent.map((e) => e.time));
    expect(mine.filter((a) => a.arrival !== undefined).map((a) => a.arrival!).sort((x, y) => x - y), `arrowheads at ${receiver}`).toEqual(received.map((e) => e.time));
  }
}

describe('ladder over a duplicating medium', () => {
  for (const [duplicate, seed] of [[1, 3], [0.3, 7]] as const) {
    it(`draws one arrow per frame sent and one arrowhead per frame received (duplicate ${duplicate}, seed ${seed})`, () => {
      const events = duplicatingRun(duplicate, seed);
      const copies = events.filter((e) => e.kind === 'frame' && e.action === 'duplicated').length;
      expect(copies).toBeGreaterThan(0);
      const ladder = buildLadder(events, { nodes: ['client', 'server'] });
      const arrows = ladder.rows.filter((r): r is LadderArrow => r.kind === 'arrow');
      expect(arrows.filter((a) => a.duplicate).length).toBe(copies);
      checkAgainstCaptures(events, arrows, ['client', 'server']);
    });
  }

  it('marks the copy in the conversation ladder, right behind the original with its own arrival', () => {
    const events = duplicatingRun(1, 3);
    const ladder = buildLadder(events);
    const arrows = ladder.rows.filter((r): r is LadderArrow => r.kind === 'arrow');
    const syn = arrows.filter((a) => a.label === 'SYN seq=0 len=0');
    expect(syn.map((a) => [a.from, a.duplicate === true, a.time, a.arrival])).toEqual([
      [0, false, syn[0]!.time, syn[0]!.arrival],
      [0, true, syn[0]!.time, syn[1]!.arrival],
    ]);
    expect(syn[1]!.arrivalIndex).toBeGreaterThan(syn[0]!.arrivalIndex!);
    expect(renderLadderText(ladder)).toMatch(/\|-+ \[duplicate\] SYN seq=0 len=0 -+>\|/);
  });
});
