// One soak transfer: a client sends `size` seeded bytes to a server over a 2 ms, 100 Mbit/s
// cable (a 4 ms round trip) that loses, duplicates, reorders and corrupts frames in both
// directions, then both ends close. The run is bounded in simulated time, so a connection
// that stops making progress shows up as a stall instead of hanging the script. Shared by
// the soak script (soak.ts) and the seeded soak test.

import { createHash } from 'node:crypto';
import { Random, type SocketError, type StreamSocket } from '@netlayers/core';
import type { ImpairmentOptions } from '@netlayers/physical';
import { Network } from '@netlayers/lab';
import type { TcpOptions } from '@netlayers/transport';

/** The impairments issue 11 names: 10% loss, 2% duplication, 5% reordering, 1% corruption. */
export const SOAK_IMPAIRMENTS: ImpairmentOptions = { loss: 0.1, duplicate: 0.02, reorder: { probability: 0.05, delay: '2ms' }, corrupt: 0.01 };

export interface SoakCase {
  readonly seed: number;
  readonly congestionControl: 'reno' | 'newreno' | 'cubic';
  readonly profile: 'rfc' | 'linux';
  /** Bytes to send (default 1 MiB). */
  readonly size?: number;
  /** Simulated-time bound in seconds (default 600). */
  readonly limitSeconds?: number;
  readonly impairments?: ImpairmentOptions;
  /** One-way delay of the cable (default '2ms'). */
  readonly delay?: string;
  /** Extra TCP options for both ends. */
  readonly tcp?: TcpOptions;
}

export interface SoakResult {
  readonly seed: number;
  readonly congestionControl: string;
  readonly profile: string;
  /** Every byte arrived, in order, and the sha256 matches. */
  readonly exact: boolean;
  /** The transfer had not finished when the simulated-time bound ran out. */
  readonly stalled: boolean;
  readonly delivered: number;
  /** Simulated seconds from connect to the server seeing the end of the stream (or the bound). */
  readonly seconds: number;
  readonly retransmissions: number;
  readonly timeouts: number;
  readonly errors: readonly string[];
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Run one seeded transfer and report what happened. */
export function runSoakTransfer(c: SoakCase): SoakResult {
  const size = c.size ?? 1 << 20;
  const limit = (c.limitSeconds ?? 600) * 1e9;
  const tcp: TcpOptions = { profile: c.profile, congestionControl: c.congestionControl, msl: '1s', ...c.tcp };
  const net = new Network({ seed: `soak:${c.seed}:${c.congestionControl}:${c.profile}` });
  const client = net.addHost('client', { tcp });
  const server = net.addHost('server', { tcp });
  net.connect([client, '10.0.0.1/24'], [server, '10.0.0.2/24'], { bandwidth: '100Mbps', delay: c.delay ?? '2ms', queueLimit: 1000, impairments: c.impairments ?? SOAK_IMPAIRMENTS });
  const data = new Random(`soak-data:${c.seed}`).bytes(size);
  const chunks: Uint8Array[] = [];
  let delivered = 0;
  let ended = -1;
  const errors: string[] = [];
  server.tcp.listen({ port: 5001 }).on('connection', (socket: StreamSocket) => {
    socket.on('data', (chunk: Uint8Array) => {
      chunks.push(chunk.slice());
      delivered += chunk.length;
    });
    socket.on('end', () => {
      ended = net.now();
      socket.end();
    });
    socket.on('error', (e: SocketError) => errors.push(`server: ${e.code} ${e.message}`));
  });
  const socket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 5001 });
  const started = net.now();
  let offset = 0;
  const pump = (): void => {
    while (offset < size) {
      const end = Math.min(size, offset + 64 * 1024);
      const more = socket.write(data.subarray(offset, end));
      offset = end;
      if (!more) return;
    }
    socket.end();
  };
  socket.on('connect', pump);
  socket.on('drain', pump);
  socket.on('error', (e: SocketError) => errors.push(`client: ${e.code} ${e.message}`));
  while (ended < 0 && errors.length === 0 && net.now() - started < limit) net.runFor('1s');
  const stats = (socket as unknown as { stats?: { retransmissions: number; timeouts: number } }).stats;
  const exact = ended >= 0 && delivered === size && sha256(Buffer.concat(chunks)) === sha256(data);
  return {
    seed: c.seed,
    congestionControl: c.congestionControl,
    profile: c.profile,
    exact,
    stalled: ended < 0 && errors.length === 0,
    delivered,
    seconds: ((ended >= 0 ? ended : net.now()) - started) / 1e9,
    retransmissions: stats?.retransmissions ?? 0,
    timeouts: stats?.timeouts ?? 0,
    errors,
  };
}
