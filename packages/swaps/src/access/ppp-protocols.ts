// PPP protocol numbers (RFC 1661 §2, IANA "PPP DLL Protocol Numbers") and the mapping from
// the EtherTypes the network layer speaks: IPv4 is 0x0021 (RFC 1332), IPv6 0x0057 (RFC 5072).

import { EtherType } from '@netlayers/core';

export const PppProtocol = {
  IPv4: 0x0021,
  IPv6: 0x0057,
  IPCP: 0x8021,
  LCP: 0xc021,
} as const;

const BY_ETHERTYPE = new Map<number, number>([
  [EtherType.IPv4, PppProtocol.IPv4],
  [EtherType.IPv6, PppProtocol.IPv6],
]);
const BY_PPP = new Map<number, number>([...BY_ETHERTYPE].map(([e, p]) => [p, e]));

/** The PPP protocol that carries `etherType`, or undefined when PPP has no number for it. */
export function pppProtocolFor(etherType: number): number | undefined {
  return BY_ETHERTYPE.get(etherType);
}

/** The EtherType a PPP protocol number stands for, or undefined. */
export function etherTypeFor(pppProtocol: number): number | undefined {
  return BY_PPP.get(pppProtocol);
}

export function pppProtocolName(protocol: number): string {
  switch (protocol) {
    case PppProtocol.IPv4: return 'IPv4';
    case PppProtocol.IPv6: return 'IPv6';
    case PppProtocol.IPCP: return 'IPCP';
    case PppProtocol.LCP: return 'LCP';
    default: return `0x${protocol.toString(16).padStart(4, '0')}`;
  }
}
