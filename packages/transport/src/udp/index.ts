// UDP (RFC 768): wire format, layer, sockets.
