// Protocol numbers used for demultiplexing: EtherTypes (IEEE 802.3 / IANA) and IP
// protocol numbers (IANA, RFC 790 lineage).

export const EtherType = {
  IPv4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  IPv6: 0x86dd,
} as const;

export const IpProtocol = {
  ICMP: 1,
  TCP: 6,
  UDP: 17,
} as const;

export function etherTypeName(type: number): string {
  switch (type) {
    case EtherType.IPv4: return 'IPv4';
    case EtherType.ARP: return 'ARP';
    case EtherType.VLAN: return '802.1Q';
    case EtherType.IPv6: return 'IPv6';
    default: return `0x${type.toString(16).padStart(4, '0')}`;
  }
}

export function ipProtocolName(protocol: number): string {
  switch (protocol) {
    case IpProtocol.ICMP: return 'ICMP';
    case IpProtocol.TCP: return 'TCP';
    case IpProtocol.UDP: return 'UDP';
    default: return `proto-${protocol}`;
  }
}
