// Ladders in time order in every mode (the simultaneous close drew rows out of order), and
// an echo request to an address where no host answers ARP: it never left the sender, so it
// is drawn as what happened — the ARP requests and the ARP failure — not as a lost packet.

import { describe, expect, it } from 'vitest';
import { Network } from '@netlayers/lab';
import { TraceRecorder } from '../src/recorder.ts';
import { buildLadder, ladder, type LadderOptions } from '../src/ladder/index.ts';
import { tcpdump } from '../src/tcpdump.ts';
import { textbookEvents } from './support/textbook.ts';
import { realExchange } from './support/real-run.ts';
import type { TraceEvent } from '@netlayers/core';

function simultaneousClose(): readonly TraceEvent[] {
  const net = new Network({ seed: 9 });
  const recorder = new TraceRecorder().record(net.trace);
  const client = net.addHost('client', { tcp: { initialSequenceNumber: 0 } });
  const server = net.addHost('server', { tcp: { initialSequenceNumber: 0 } });
  net.connect([client, '10.0.0.1/24'], [server, '10.0.0.2/24'], { delay: '2ms' });
  let serverSide: { end(): void } | undefined;
  server.tcp.listen({ port: 80 }).on('connection', (s) => (serverSide = s));
  const socket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 80 });
  socket.on('connect', () => net.scheduler.schedule(10_000_000, () => {
    socket.end();
    serverSide?.end();
  }));
  net.runUntilIdle();
  return recorder.events;
}

const modes: readonly [string, LadderOptions][] = [
  ['one connection', {}],
  ['relative numbers, details', { relative: true, details: true }],
  ['two nodes', { nodes: ['client', 'server'] }],
  ['four-layer model', { model: 'tcpip-4' }],
];

describe('ladders are in time order in every mode', () => {
  const runs: [string, readonly TraceEvent[]][] = [
    ['textbook', textbookEvents().events],
    ['textbook with a loss', textbookEvents({ loseRequest: true }).events],
    ['real run through a router', realExchange().events],
    ['simultaneous close', simultaneousClose()],
  ];
  for (const [run, events] of runs) {
    for (const [mode, options] of modes) {
      it(`${run}, ${mode}`, () => {
        const rows = buildLadder(events, options).rows;
        expect(rows.length).toBeGreaterThan(5);
        const times = rows.map((r) => r.time);
        expect(times).toEqual([...times].sort((a, b) => a - b));
      });
    }
  }

  it('the simultaneous close shows both sides in CLOSING and TIME-WAIT, FINs crossing', () => {
    const events = simultaneousClose();
    const l = buildLadder(events);
    const states = l.rows.filter((r) => r.kind === 'state').map((r) => (r.kind === 'state' ? `${r.side}:${r.state}` : ''));
    expect(states).toEqual(expect.arrayContaining(['0:FIN-WAIT-1', '1:FIN-WAIT-1', '0:CLOSING', '1:CLOSING', '0:TIME-WAIT', '1:TIME-WAIT']));
    const fins = l.rows.filter((r) => r.kind === 'arrow' && r.label.startsWith('FIN'));
    expect(fins.map((f) => f.kind === 'arrow' && f.from)).toEqual([0, 1]);
    expect(fins[0]!.time).toBe(fins[1]!.time);
    expect(ladder(events)).toContain('CLOSING');
  });
});

describe('an echo request to an address with no host', () => {
  const net = new Network({ seed: 1 });
  const recorder = new TraceRecorder().record(net.trace);
  const sw = net.addSwitch('sw1');
  const a = net.addHost('a');
  const b = net.addHost('b');
  net.connect([a, '10.0.0.1/24'], sw);
  net.connect([b, '10.0.0.2/24'], sw);
  net.runFor('1ms');
  let result: unknown;
  void a.ping('10.0.0.99').then((r) => (result = r));
  net.runFor('10s');
  const events = recorder.events;

  it('is not drawn as sent: the ARP requests and the ARP failure are', () => {
    expect(result).toMatchObject({ ok: false });
    const l = buildLadder(events, { nodes: ['a', 'b'] });
    const labels = l.rows.map((r) => (r.kind === 'arrow' ? `${r.label}${r.lost ? ' [lost]' : ''}` : r.kind === 'note' ? `(${r.text})` : r.state));
    expect(labels.some((x) => x.includes('echo request'))).toBe(false);
    const whoHas = labels.filter((x) => x.includes('who-has 10.0.0.99'));
    expect(whoHas.length).toBeGreaterThanOrEqual(2);
    expect(whoHas.every((x) => !x.endsWith('[lost]'))).toBe(true);
    expect(labels.some((x) => /^\(drop at 2 Link \(\w+\): arp-failed/.test(x))).toBe(true);
    expect(tcpdump(events).some((x) => x.includes('ICMP echo request'))).toBe(false);
    expect(tcpdump(events).filter((x) => x.includes('who-has 10.0.0.99')).length).toBe(whoHas.length);
  });
});
