// What a DHCP client and a DHCP server (RFC 2131 §4.1) do alike at their UDP socket: bind
// port 67 or 68 with broadcast enabled, parse each datagram (a malformed one or one not
// meant for this end is a counted drop, never an exception), and emit and trace each
// message they send.

import { DropReason, isWireError, type DatagramRemote, type DatagramSocket, type DatagramTransport, type Ipv4Address, type NodeContext } from '@netlayers/core';
import { describeDhcpMessage, emitDhcpMessage, parseDhcpMessage, type DhcpMessage } from './message.ts';
import { traceDrop, tracePdu } from '../util/trace.ts';
import type { DhcpMessageInfo } from '../util/trace-headers.ts';

/** Bind `port` for broadcast DHCP; an exception in `onMessage` becomes a drop named after `role`. */
export function openDhcpSocket(
  udp: DatagramTransport,
  node: NodeContext,
  role: 'client' | 'server',
  port: number,
  iface: string | undefined,
  onMessage: (data: Uint8Array, remote: DatagramRemote) => void,
): DatagramSocket {
  const socket = udp.bind({ port, ...(iface !== undefined ? { iface } : {}) });
  socket.setBroadcast(true);
  socket.on('message', (data, remote) => {
    try {
      onMessage(data, remote);
    } catch (error) {
      traceDrop(node, 'dhcp', DropReason.Malformed, `${role} error: ${String(error)}`, data.length);
    }
  });
  return socket;
}

/**
 * Parse a received datagram and trace it. `notForUs` names why a well-formed message is
 * not this end's business (or returns null to accept it). Returns the accepted message, or
 * null after a counted drop.
 */
export function receiveDhcpMessage(node: NodeContext, data: Uint8Array, notForUs: (message: DhcpMessage) => string | null): DhcpMessage | null {
  const message = parseDhcpMessage(data);
  if (isWireError(message)) {
    traceDrop(node, 'dhcp', message.reason, message.detail, data.length);
    return null;
  }
  const rejection = notForUs(message);
  if (rejection !== null) {
    traceDrop(node, 'dhcp', DropReason.NotForUs, rejection, data.length);
    return null;
  }
  tracePdu(node, 'dhcp', 'up', describeDhcpMessage(message), data.length, traceFields(message));
  return message;
}

/** Emit, trace and send `message` to `address`:`port`; a send the transport refuses is a counted drop. */
export function sendDhcpMessage(node: NodeContext, socket: DatagramSocket, message: DhcpMessage, address: Ipv4Address, port: number): void {
  const bytes = emitDhcpMessage(message);
  tracePdu(node, 'dhcp', 'down', describeDhcpMessage(message), bytes.length, traceFields(message));
  try {
    socket.send(bytes, port, address);
  } catch (error) {
    traceDrop(node, 'dhcp', DropReason.NoRoute, `could not send to ${address}:${port}: ${String(error)}`, bytes.length);
  }
}

function traceFields(message: DhcpMessage): DhcpMessageInfo {
  return { protocol: 'dhcp', xid: message.xid, messageType: message.options.messageType ?? 0 };
}
