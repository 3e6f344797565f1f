// A compact, layer-by-layer event printer for the examples: one line per PDU, drop, state
// change or note, indented by layer so the stack reads top to bottom.

import type { TraceBus, TraceEvent, Role } from '@netlayers/core';

const INDENT: Record<Role, number> = { application: 0, transport: 1, network: 2, link: 3, 'network-access': 3, physical: 4 };
const ARROW = { down: '↓', up: '↑', forward: '→' } as const;

export interface LayerLogOptions {
  /** Which roles to show (default: all but physical frame events). */
  roles?: readonly Role[];
  /** Where lines go (default console.log). */
  write?: (line: string) => void;
  /** Include timer events. */
  timers?: boolean;
}

export function formatEvent(e: TraceEvent): string | null {
  const t = (e.time / 1e6).toFixed(3).padStart(9);
  const pad = '  '.repeat(INDENT[e.role]);
  const who = `${e.node}`.padEnd(8);
  const role = e.role.padEnd(14);
  switch (e.kind) {
    case 'pdu':
      return `${t} ms  ${who} ${role} ${pad}${ARROW[e.direction]} ${e.text}`;
    case 'drop':
      return `${t} ms  ${who} ${role} ${pad}✗ dropped (${e.reason}): ${e.detail}`;
    case 'state':
      return `${t} ms  ${who} ${role} ${pad}● ${e.entity}: ${e.from} → ${e.to}${e.cause ? ` (${e.cause})` : ''}`;
    case 'note':
      return `${t} ms  ${who} ${role} ${pad}· ${e.message}`;
    case 'timer':
      return `${t} ms  ${who} ${role} ${pad}⏱ ${e.timer} ${e.action}${e.duration !== undefined ? ` (${e.duration / 1e6} ms)` : ''}`;
    default:
      return null;
  }
}

/** Print trace events as they happen. Returns a function that stops printing. */
export function logLayers(bus: TraceBus, options: LayerLogOptions = {}): () => void {
  const roles = new Set<Role>(options.roles ?? ['application', 'transport', 'network', 'link', 'network-access']);
  const write = options.write ?? ((line: string) => console.log(line));
  const listener = (e: TraceEvent): void => {
    if (!roles.has(e.role)) return;
    if (e.kind === 'timer' && !options.timers) return;
    if (e.kind === 'metric' || e.kind === 'frame') return;
    const line = formatEvent(e);
    if (line !== null) write(line);
  };
  bus.on('event', listener);
  return () => bus.off('event', listener);
}
