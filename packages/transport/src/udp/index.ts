// UDP (RFC 768): wire format, layer, sockets.
export * from './wire.ts';
export * from './socket.ts';
export * from './layer.ts';
