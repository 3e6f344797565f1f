// @netlayers/link: Link layer: Ethernet II with FCS, 802.1Q, ARP (RFC 826), NICs and a learning switch.

export * from './ethernet.ts';
export * from './arp-packet.ts';
export { resolveArpOptions } from './arp-cache.ts';
export type { ArpCacheEntry, ArpCacheView, ArpEntryState, ArpOptions, ArpRemovedState, ResolvedArpOptions } from './arp-cache.ts';
export { EthernetInterface, ipv4MulticastMac } from './ethernet-interface.ts';
export type { EthernetInterfaceOptions, EthernetInterfaceStats } from './ethernet-interface.ts';
export { LearningSwitch } from './learning-switch.ts';
export type { LearningSwitchOptions, LearningSwitchStats, MacTableEntry } from './learning-switch.ts';
export { registerDissectors, ethernetDissectorWithFcs, ethernetDissectorWithoutFcs, arpDissector } from './dissectors.ts';
export * from './vxlan/wire.ts';
