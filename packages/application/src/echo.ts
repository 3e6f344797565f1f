// The Echo protocol (RFC 862) over TCP (§1: send back any data received until the
// client closes) and UDP (§2: answer each datagram with its data), on port 7 by default.

import { assertPort, InvalidArgumentError, type DatagramSocket, type DatagramTransport, type NodeContext, type StreamListener, type StreamTransport } from '@netlayers/core';
import { connectionKey, tracePdu } from './util/trace.ts';

export interface EchoServerOptions {
  /** Serve over this stream transport (TCP). */
  readonly tcp?: StreamTransport;
  /** Serve over this datagram transport (UDP). */
  readonly udp?: DatagramTransport;
  readonly port?: number;
  readonly node?: NodeContext;
}

export class EchoServer {
  readonly listener: StreamListener | null = null;
  readonly socket: DatagramSocket | null = null;
  /** Bytes echoed so far, over both transports. */
  bytesEchoed = 0;

  constructor(options: EchoServerOptions) {
    const port = options.port ?? 7;
    assertPort(port);
    if (options.tcp === undefined && options.udp === undefined) throw new InvalidArgumentError('EchoServer options', options, 'need a tcp and/or udp transport');
    const node = options.node;
    if (options.tcp !== undefined) {
      this.listener = options.tcp.listen({ port });
      this.listener.on('connection', (socket) => {
        const key = connectionKey(socket);
        socket.on('data', (chunk) => {
          tracePdu(node, 'echo', 'up', `echo ${chunk.length} bytes`, chunk.length, undefined, key);
          try {
            socket.write(chunk);
            this.bytesEchoed += chunk.length;
          } catch {
            socket.destroy();
          }
        });
        socket.on('end', () => {
          try {
            socket.end();
          } catch {
            // already closed
          }
        });
        socket.on('error', () => undefined);
      });
    }
    if (options.udp !== undefined) {
      const socket = options.udp.bind({ port });
      this.socket = socket;
      socket.on('message', (data, remote) => {
        tracePdu(node, 'echo', 'up', `echo ${data.length} bytes to ${remote.address}:${remote.port}`, data.length);
        try {
          socket.send(data, remote.port, remote.address);
          this.bytesEchoed += data.length;
        } catch {
          // Unroutable sender: nothing to answer.
        }
      });
    }
  }

  close(): void {
    this.listener?.close();
    this.socket?.close();
  }
}
