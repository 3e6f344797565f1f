// The last events of a simulation's trace as short tcpdump-style lines, for failure
// messages: "  1.204518 client tcp  > 10.0.0.1.49152 > 10.0.0.2.7000: Flags [S], seq 0, ...".
// It reads only the core TraceEvent shapes (every PDU event already carries a one-line
// `text`), so the suites need no renderer package.

import type { TraceEvent } from '@netlayers/core';

/** Virtual nanoseconds as seconds with microseconds, tcpdump's way: "1.204518". */
export function formatSeconds(ns: number): string {
  const micros = Math.floor(ns / 1000);
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
}

/** One event as one line (without the leading time and node). */
export function describeEvent(e: TraceEvent): string {
  switch (e.kind) {
    case 'pdu':
      return `${e.protocol} ${e.direction === 'down' ? '>' : '<'} ${e.text}${e.retransmission === true ? ' (retransmission)' : ''}`;
    case 'drop':
      return `${e.protocol} DROP ${e.reason}: ${e.detail}`;
    case 'state':
      return `${e.protocol} ${e.entity} ${e.from} -> ${e.to}${e.cause === undefined ? '' : ` (${e.cause})`}`;
    case 'timer':
      return `${e.protocol} timer ${e.timer} ${e.action}${e.entity === undefined ? '' : ` ${e.entity}`}`;
    case 'frame':
      return `${e.protocol} frame ${e.action} ${e.bytes.length} bytes${e.detail === undefined ? '' : ` (${e.detail})`}`;
    case 'metric':
      return `${e.protocol} ${Object.entries(e.values).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    case 'note':
      return `${e.protocol} ${e.message}`;
  }
}

/**
 * The last `count` events worth reading, oldest first, one line each: PDUs, drops, state
 * changes, timers and notes (frames and metrics are left out; so are network-layer PDUs
 * when transport PDUs are there to show the same datagrams).
 */
export function lastTraceLines(events: readonly TraceEvent[], count = 12): string[] {
  const lines: string[] = [];
  const hasTransport = events.some((e) => e.kind === 'pdu' && e.role === 'transport');
  for (let i = events.length - 1; i >= 0 && lines.length < count; i--) {
    const e = events[i]!;
    if (e.kind === 'frame' || e.kind === 'metric') continue;
    if (hasTransport && e.kind === 'pdu' && e.role === 'network') continue;
    lines.push(`${formatSeconds(e.time)} ${e.node} ${describeEvent(e)}`);
  }
  return lines.reverse();
}
