// Transport swaps: stop-and-wait (alternating bit) and go-back-N, each a StreamTransport
// over IpService, so applications written against StreamTransport run over them unchanged.
export * from './wire.ts';
export * from './arq-socket.ts';
export * from './arq-transport.ts';
export * from './options.ts';
export * from './stop-and-wait.ts';
export * from './go-back-n.ts';
