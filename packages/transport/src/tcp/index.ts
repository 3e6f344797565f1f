// TCP (RFC 9293): wire format, connection state machine, sockets.
