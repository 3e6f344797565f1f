// Frame tracing shared by media and impairments: `frame` events (tx at the sender's capture
// point when serialization starts, rx at the receiver's when the last bit arrives; lost,
// duplicated, corrupted, delayed on the medium) that captures turn into pcap, and drops
// counted per node through tracer.drop.

import type { DropReason, FrameAction, NodeContext, PhyPort } from '@netlayers/core';

export const PHY_PROTOCOL = 'phy';

/** Emit a frame event on `node` (a copy of the bytes; nothing when nobody listens for frames). */
export function traceFrame(node: NodeContext, iface: string, action: FrameAction, frame: Uint8Array, detail?: string, protocol = PHY_PROTOCOL): void {
  node.tracer.frame('physical', protocol, iface, action, frame, detail);
}

/** Count a dropped frame on `node` (drop.physical.<reason>), trace the drop and a 'lost' frame event. */
export function traceLostFrame(node: NodeContext, iface: string, reason: DropReason, detail: string, bytes: Uint8Array, protocol = PHY_PROTOCOL): void {
  node.tracer.drop('physical', protocol, reason, detail, bytes.length, { iface });
  traceFrame(node, iface, 'lost', bytes, detail, protocol);
}

/**
 * The interface name to put in trace events for `port` on `node`: the name it was attached
 * with ("eth0") when the port knows it, else its name without the "node:" prefix.
 */
export function interfaceNameOf(port: PhyPort, node: NodeContext): string {
  const iface = (port as { iface?: unknown }).iface;
  if (typeof iface === 'string') return iface;
  const prefix = `${node.name}:`;
  return port.name.startsWith(prefix) ? port.name.slice(prefix.length) : port.name;
}
