// @netlayers/link: Link layer: Ethernet II with FCS, 802.1Q, ARP (RFC 826), NICs and a learning switch.
