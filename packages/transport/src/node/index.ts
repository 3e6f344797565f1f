// Node adapters: stream.Duplex over a StreamSocket, http.request/createServer glue.
export * from './duplex.ts';
export * from './http.ts';
