// @netlayers/network: Network layer: IPv4 (RFC 791), ICMP (RFC 792), routing, forwarding, fragmentation and reassembly.
