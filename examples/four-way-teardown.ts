// Closing a TCP connection (RFC 9293 §3.6, Figures 12 and 13; state diagram §3.3.2): the
// client closes first (FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT), the server reads the end of the
// stream (CLOSE-WAIT), closes in turn (LAST-ACK) and is CLOSED when its FIN is acknowledged.
// The client waits 2*MSL in TIME-WAIT (§3.4.2: MSL = 2 minutes, so 4 minutes) in virtual
// time, costing no real time. Variants: --simultaneous (both close at once: CLOSING, both
// sides in TIME-WAIT) and --half-close (the client sends its request and closes its half;
// the server still sends its answer into FIN-WAIT-2 before it closes).
// Run: npx tsx examples/four-way-teardown.ts [--simultaneous | --half-close] [--msl 2min] [--mermaid]

import { formatDuration, parseDuration, type StreamSocket } from '@netlayers/core';
import { TraceRecorder, ladder } from '@netlayers/trace';
import { formatRows, lanWithFixedIsns, ms, otherStateChanges, segmentRows, socketKey, SERVER_PORT, type SegmentRow, type StateChange } from './three-way-handshake.ts';
import { commandDrawsLadder, honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export type TeardownVariant = 'normal' | 'simultaneous' | 'half-close';

export interface TeardownResult {
  readonly variant: TeardownVariant;
  readonly rows: readonly SegmentRow[];
  /** State changes made by calls and timers, not by arriving segments. */
  readonly changes: readonly StateChange[];
  /** How long each side spent in TIME-WAIT (virtual ns), for the sides that entered it. */
  readonly timeWait: Readonly<Record<string, number>>;
  readonly msl: number;
  /** Bytes the client read, and the states it read them in. */
  readonly clientRead: { readonly bytes: number; readonly states: readonly string[] };
}

/** An application think time between events, so each segment gets its own row. */
const PAUSE = '10ms';
export const REQUEST = 'GET /report';
export const REPORT_BYTES = 1000;

function variantOf(args: readonly string[]): TeardownVariant {
  if (args.includes('--simultaneous')) return 'simultaneous';
  if (args.includes('--half-close')) return 'half-close';
  return 'normal';
}

function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function main(write: (line: string) => void = console.log, args: readonly string[] = process.argv.slice(2)): Promise<TeardownResult> {
  const wallStart = performance.now();
  const variant = variantOf(args);
  const mslText = argValue(args, '--msl') ?? '2min';
  const msl = parseDuration(mslText);
  const { net, client, server } = await lanWithFixedIsns({ msl: mslText });
  const recorder = new TraceRecorder().record(net.trace);
  const pause = parseDuration(PAUSE);
  const later = (fn: () => void): void => void net.scheduler.schedule(pause, fn);

  let serverSocket: StreamSocket | undefined;
  server.tcp.listen({ port: SERVER_PORT }).on('connection', (socket) => {
    serverSocket = socket;
    socket.on('end', () => {
      // The client finished sending: CLOSE-WAIT. The server may still send, then closes.
      if (variant === 'normal') later(() => socket.end());
      if (variant === 'half-close') {
        later(() => socket.write(new Uint8Array(REPORT_BYTES).fill(0x2a)));
        later(() => later(() => socket.end()));
      }
    });
  });
  const socket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: SERVER_PORT });
  const clientRead = { bytes: 0, states: [] as string[] };
  socket.on('data', (chunk) => {
    clientRead.bytes += chunk.length;
    if (!clientRead.states.includes(socket.state)) clientRead.states.push(socket.state);
  });
  socket.on('connect', () =>
    later(() => {
      if (variant === 'simultaneous') {
        socket.end();
        serverSocket?.end();
      } else if (variant === 'half-close') {
        socket.end(REQUEST);
      } else {
        socket.end();
      }
    }),
  );
  net.runUntilIdle();
  recorder.detach();

  const key = socketKey(socket);
  const events = recorder.events;
  const rows = segmentRows(events, key, 'client', 'server', { client: 'CLOSED', server: 'LISTEN' });
  const changes = otherStateChanges(events, key, 'client', 'server');

  const titles: Record<TeardownVariant, string> = {
    normal: 'the client closes first, the server closes after reading the end of the stream',
    simultaneous: 'both sides close at the same instant (simultaneous close, RFC 9293 Figure 13)',
    'half-close': `the client sends "${REQUEST}" and closes its half; the server answers, then closes`,
  };
  write(`TCP connection teardown (RFC 9293 §3.6): ${titles[variant]}`);
  write(`client 10.0.0.1 — switch sw1 — server 10.0.0.2, ISS 0 and 1000, MSL = ${formatDuration(msl)}`);
  write('');
  for (const line of formatRows(rows, 'client', 'server')) write(line);

  write('');
  write('State changes made by calls and timers (the rest followed arriving segments):');
  for (const c of changes) {
    const when = c.time >= 1e9 ? `${(c.time / 1e9).toFixed(6)} s` : `${ms(c.time)} ms`;
    write(`  ${c.node.padEnd(7)} ${when.padStart(14)}  ${c.from} → ${c.to}  (${c.cause})`);
  }

  const timeWait: Record<string, number> = {};
  for (const side of ['client', 'server']) {
    const sideKey = side === 'client' ? key : `${key.split('-')[1]}-${key.split('-')[0]}`;
    const states = events.filter((e) => e.kind === 'state' && e.node === side && e.entity === sideKey);
    const entered = states.find((e) => e.kind === 'state' && e.to === 'TIME-WAIT');
    const left = states.find((e) => e.kind === 'state' && e.from === 'TIME-WAIT');
    if (entered !== undefined && left !== undefined) timeWait[side] = left.time - entered.time;
  }
  write('');
  for (const [side, duration] of Object.entries(timeWait)) {
    write(`${side} waited in TIME-WAIT for ${formatDuration(duration)} of virtual time = 2*MSL${duration === 2 * msl ? ' ✓' : ` ✗ (expected ${formatDuration(2 * msl)})`}`);
  }
  if (clientRead.bytes > 0) write(`client read ${clientRead.bytes} bytes while in ${clientRead.states.join(', ')}`);
  write(`virtual time at the end: ${formatDuration(net.now())}; wall-clock time: ${(performance.now() - wallStart).toFixed(0)} ms`);

  write('');
  const format = args.includes('--mermaid') ? 'mermaid' : 'text';
  // Under `netlayers run ... --trace ladder` the command draws the ladder; one is enough.
  if (!commandDrawsLadder()) write(ladder(events, { connection: key, format, width: 96 }).trimEnd());
  return { variant, rows, changes, timeWait, msl, clientRead };
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
