// Trace events of the network layer: one `pdu` event per datagram crossing the layer
// (direction down, up or forward), protocol 'icmp' with the ICMP message in tcpdump style
// when the datagram carries one ICMP message (or its first fragment), else protocol 'ipv4'.
// Callers check `tracer.active` first so an untraced run builds nothing.

import { IpProtocol, isWireError, type Direction, type Tracer } from '@netlayers/core';
import { icmpSummary, icmpTypeOf, parseIcmp } from './icmp-wire.ts';
import { ipv4Fields, ipv4HeaderInfo, ipv4Summary, type Ipv4Header } from './ipv4-wire.ts';

/** Emit the pdu event for `header` + `payload` (the datagram's data, or this fragment's). */
export function traceDatagram(tracer: Tracer, direction: Direction, header: Ipv4Header, payload: Uint8Array, iface: string): void {
  if (header.protocol === IpProtocol.ICMP && header.fragmentOffset === 0) {
    // A first fragment carries only part of the message, so its checksum cannot be checked here.
    const message = parseIcmp(payload, { checksum: false });
    if (!isWireError(message)) {
      const echo = message.kind === 'echo-request' || message.kind === 'echo-reply' ? { identifier: message.identifier, sequence: message.sequence } : {};
      tracer.emit({
        kind: 'pdu',
        role: 'network',
        protocol: 'icmp',
        direction,
        iface,
        length: header.totalLength,
        headerLength: header.headerLength,
        text: `${header.source} > ${header.destination}: ${icmpSummary(message, payload.length)}`,
        header: { protocol: 'icmp', ip: ipv4Fields(header), type: icmpTypeOf(message), code: message.code, ...echo },
      });
      return;
    }
  }
  tracer.emit({
    kind: 'pdu',
    role: 'network',
    protocol: 'ipv4',
    direction,
    iface,
    length: header.totalLength,
    headerLength: header.headerLength,
    text: ipv4Summary(header),
    header: ipv4HeaderInfo(header),
  });
}

/** A sentence for learners ("10.0.2.2 via 10.0.1.2 on eth1"). */
export function traceNote(tracer: Tracer, message: string, iface?: string, protocol = 'ipv4'): void {
  if (iface === undefined) tracer.emit({ kind: 'note', role: 'network', protocol, message });
  else tracer.emit({ kind: 'note', role: 'network', protocol, iface, message });
}
