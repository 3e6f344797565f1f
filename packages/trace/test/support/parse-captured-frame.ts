// Runs the layers' own parsers over one captured Ethernet frame, as a capture reader would:
// Ethernet without FCS (a capture has none, and frames from the sending host are unpadded),
// then ARP or IPv4 (total length 0 read as TSO), then ICMP, UDP or TCP (checksums not
// verified by default: a sender-side capture holds the partial checksums left for the NIC,
// which Wireshark also leaves unverified), then DNS on port 53 and DHCP on ports 67/68.
// Each frame ends either parsed as far as these layers go or rejected with a reason.

import { EtherType, IpProtocol, isWireError, type WireError } from '@netlayers/core';
import { parseArpPacket, parseEthernetFrame } from '@netlayers/link';
import { parseIcmp, parseIpv4 } from '@netlayers/network';
import { parseTcpSegment, parseUdpDatagram, type TcpSegment } from '@netlayers/transport';
import { parseDhcpMessage, parseDnsMessage, type DhcpMessage, type DnsMessage } from '@netlayers/application';

export interface ParsedFrame {
  /** The layers parsed, outermost first: "ethernet", "ipv4", "tcp", "dns", ... */
  readonly layers: readonly string[];
  /** The layer that rejected the frame and why; absent when every layer present parsed. */
  readonly rejected?: { readonly layer: string; readonly reason: string; readonly detail: string };
  readonly tcp?: TcpSegment;
  readonly dns?: DnsMessage;
  readonly dhcp?: DhcpMessage;
  /** Set for a datagram whose total length read 0 (segmentation offload). */
  readonly tsoZeroLength?: boolean;
}

export interface ParseFrameOptions {
  /** Verify TCP, UDP and ICMP checksums (default false, as in a sender-side capture they are partial). */
  readonly verifyChecksums?: boolean;
}

export function parseCapturedFrame(bytes: Uint8Array, options: ParseFrameOptions = {}): ParsedFrame {
  const verify = options.verifyChecksums ?? false;
  const layers: string[] = [];
  const reject = (layer: string, error: WireError | { reason: string; detail: string }, extra: Partial<ParsedFrame> = {}): ParsedFrame => ({
    layers,
    rejected: { layer, reason: error.reason, detail: error.detail },
    ...extra,
  });
  const frame = parseEthernetFrame(bytes, { hasFcs: false });
  if (isWireError(frame)) return reject('ethernet', frame);
  layers.push('ethernet');
  if (frame.etherType === EtherType.ARP) {
    const arp = parseArpPacket(frame.payload);
    if (isWireError(arp)) return reject('arp', arp);
    layers.push('arp');
    return { layers };
  }
  if (frame.etherType !== EtherType.IPv4) return reject('ethernet', { reason: 'unknown-protocol', detail: `EtherType 0x${frame.etherType.toString(16).padStart(4, '0')} is not parsed by these layers` });
  const ip = parseIpv4(frame.payload, { allowTsoZeroLength: true });
  if (isWireError(ip)) return reject('ipv4', ip);
  layers.push('ipv4');
  const tso = ip.tsoZeroLength === true ? { tsoZeroLength: true } : {};
  const { header, payload } = ip;
  if (header.fragmentOffset > 0) return { layers, ...tso }; // a later fragment: no transport header here
  const firstFragment = header.moreFragments;
  switch (header.protocol) {
    case IpProtocol.ICMP: {
      // The checksum of a first fragment covers bytes not in this frame.
      const icmp = parseIcmp(payload, { checksum: verify && !firstFragment });
      if (isWireError(icmp)) return reject('icmp', icmp, tso);
      layers.push('icmp');
      return { layers, ...tso };
    }
    case IpProtocol.UDP: {
      if (firstFragment) return { layers, ...tso };
      const udp = parseUdpDatagram(payload, header.source, header.destination, { verifyChecksum: verify });
      if (isWireError(udp)) return reject('udp', udp, tso);
      layers.push('udp');
      const ports = [udp.sourcePort, udp.destinationPort];
      if (ports.includes(53)) {
        const dns = parseDnsMessage(udp.payload);
        if (isWireError(dns)) return reject('dns', dns, tso);
        layers.push('dns');
        return { layers, dns, ...tso };
      }
      if (ports.includes(67) || ports.includes(68)) {
        const dhcp = parseDhcpMessage(udp.payload);
        if (isWireError(dhcp)) return reject('dhcp', dhcp, tso);
        layers.push('dhcp');
        return { layers, dhcp, ...tso };
      }
      return { layers, ...tso };
    }
    case IpProtocol.TCP: {
      if (firstFragment) return { layers, ...tso };
      const tcp = parseTcpSegment(payload, header.source, header.destination, { verifyChecksum: verify });
      if (isWireError(tcp)) return reject('tcp', tcp, tso);
      layers.push('tcp');
      return { layers, tcp, ...tso };
    }
    default:
      return { layers, ...tso };
  }
}
