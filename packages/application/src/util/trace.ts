// Application-layer tracing: every protocol message sent or received becomes a `pdu`
// event with role 'application' (so a ladder diagram shows "GET / HTTP/1.1" above the TCP
// segments that carry it), malformed input becomes a counted `drop`, and client state
// machines (DHCP) emit `state` events. All helpers are no-ops without a NodeContext.

import type { DropReason, NodeContext, PduHeader, StreamSocket, Direction } from '@netlayers/core';
import './trace-headers.ts';

/** The application protocols' trace names. */
export type AppProtocol = 'http' | 'dns' | 'dhcp' | 'echo' | 'smtp' | 'ftp' | 'ftp-data';

export function connectionKey(socket: StreamSocket): string {
  return `${socket.localAddress}:${socket.localPort}-${socket.remoteAddress}:${socket.remotePort}`;
}

export function tracePdu(
  node: NodeContext | undefined,
  protocol: AppProtocol,
  direction: Direction,
  text: string,
  length: number,
  header?: PduHeader,
  connection?: string,
): void {
  if (node === undefined || !node.tracer.active) return;
  const payload: PduHeader =
    header ?? (protocol === 'http' || protocol === 'dns' || protocol === 'dhcp' ? { protocol: 'generic', name: protocol, values: [] } : { protocol: 'app-line', application: protocol });
  node.tracer.emit({
    kind: 'pdu',
    role: 'application',
    protocol,
    direction,
    length,
    headerLength: length,
    text,
    header: payload,
    ...(connection !== undefined ? { connection } : {}),
  });
}

export function traceDrop(node: NodeContext | undefined, protocol: AppProtocol, reason: DropReason, detail: string, length: number): void {
  node?.tracer.drop('application', protocol, reason, detail, length);
}

export function traceState(node: NodeContext | undefined, protocol: AppProtocol, entity: string, from: string, to: string, cause?: string): void {
  if (node === undefined || !node.tracer.active) return;
  node.tracer.emit({ kind: 'state', role: 'application', protocol, entity, from, to, ...(cause !== undefined ? { cause } : {}) });
}

export function traceNote(node: NodeContext | undefined, protocol: AppProtocol, message: string, entity?: string): void {
  if (node === undefined || !node.tracer.active) return;
  node.tracer.emit({ kind: 'note', role: 'application', protocol, message, ...(entity !== undefined ? { entity } : {}) });
}

export function traceTimer(node: NodeContext | undefined, protocol: AppProtocol, action: 'set' | 'fired' | 'cancelled', timer: string, entity?: string, duration?: number): void {
  if (node === undefined || !node.tracer.active) return;
  node.tracer.emit({
    kind: 'timer',
    role: 'application',
    protocol,
    action,
    timer,
    ...(entity !== undefined ? { entity } : {}),
    ...(duration !== undefined ? { duration } : {}),
  });
}

/** First line of a text message, for trace labels. */
export function firstLine(text: string, max = 80): string {
  const end = text.search(/\r?\n/);
  const line = end < 0 ? text : text.slice(0, end);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
