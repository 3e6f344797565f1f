// Glue between Node's http/net and a StreamTransport: a createConnection function for
// http.request / http.Agent, and feeding a StreamListener's connections into a Node
// server (net.Server or http.Server) as Duplexes, so Node's own HTTP runs over the
// emulated transport in virtual time (drive it with core's driveWithEventLoop).

import type { EventEmitter } from 'node:events';
import { InvalidAddressError, Ipv4Address, type StreamListener, type StreamSocket, type StreamTransport } from '@netlayers/core';
import { toDuplex, type StreamSocketDuplex, type ToDuplexOptions } from './duplex.ts';

/** The fields of net.connect / http.request options this adapter reads. */
export interface ConnectionRequest {
  readonly host?: string | null | undefined;
  readonly hostname?: string | null | undefined;
  readonly port?: number | string | null | undefined;
  readonly localAddress?: string | null | undefined;
  readonly localPort?: number | null | undefined;
}

export type CreateConnection = (
  options: ConnectionRequest,
  callback?: (error: Error | null, socket: StreamSocketDuplex) => void,
) => StreamSocketDuplex;

export interface CreateConnectionOptions extends Omit<ToDuplexOptions, 'connecting'> {
  /** Map a host name to an address (there is no DNS here); default: dotted quads only. */
  readonly lookup?: (hostname: string) => Ipv4Address | string;
}

/**
 * A function usable as `http.request({ createConnection })` or `agent.createConnection`:
 * opens a connection on `transport` and returns it as a net.Socket-like Duplex. The
 * callback, as net.connect's, runs once connected (called as (null, socket)).
 */
export function createConnectionFor(transport: StreamTransport, options: CreateConnectionOptions = {}): CreateConnection {
  return (request, callback) => {
    const host = request.host ?? request.hostname ?? '127.0.0.1';
    const remoteAddress = resolveHost(host, options.lookup);
    const port = request.port === undefined || request.port === null || request.port === '' ? 80 : Number(request.port);
    const socket = transport.connect({
      remoteAddress,
      remotePort: port,
      ...(request.localAddress ? { localAddress: request.localAddress } : {}),
      ...(request.localPort ? { localPort: request.localPort } : {}),
    });
    const duplex = toDuplex(socket, { ...options, connecting: true });
    if (callback !== undefined) duplex.once('connect', () => callback(null, duplex));
    return duplex;
  };
}

function resolveHost(host: string, lookup: CreateConnectionOptions['lookup']): Ipv4Address {
  const parsed = Ipv4Address.tryParse(host);
  if (typeof parsed !== 'string') return parsed;
  if (lookup !== undefined) return Ipv4Address.from(lookup(host));
  throw new InvalidAddressError(host, 'no name resolution here: use a dotted-quad address or pass a lookup function');
}

/** Anything with Node's 'connection' event: net.Server, http.Server, https.Server. */
export type NodeConnectionServer = Pick<EventEmitter, 'emit'>;

/**
 * Feed every connection `listener` accepts into `server` as `server.emit('connection', duplex)`.
 * The server needs no listen() call. Returns a function that stops feeding it.
 */
export function attachNodeServer(server: NodeConnectionServer, listener: StreamListener, options: Omit<ToDuplexOptions, 'connecting'> = {}): () => void {
  // As net.Server does for its sockets: http.Server sets allowHalfOpen and manages half-closes itself.
  const allowHalfOpen = options.allowHalfOpen ?? (server as { allowHalfOpen?: unknown }).allowHalfOpen === true;
  const onConnection = (socket: StreamSocket): void => {
    server.emit('connection', toDuplex(socket, { ...options, allowHalfOpen }));
  };
  listener.on('connection', onConnection);
  return () => listener.off('connection', onConnection);
}
