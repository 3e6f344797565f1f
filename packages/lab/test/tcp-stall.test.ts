// A seeded run that used to stall (issue 11): 1 MiB with CUBIC under 10% loss, 2%
// duplication, 5% reordering and 1% corruption on a 4 ms path. An ACK of the last flight
// was lost; the timeout resent a segment the receiver already had; the receiver's duplicate
// ACK echoed the TSval of the original (RFC 7323 §4.3), and the sender timed that echo,
// taking its own timeout for a round trip. RTT samples of 8-14 s pinned the RTO near its
// 60 s maximum and the transfer crawled. RFC 7323 §4.1 with Karn's rule: an echo older than
// the first retransmission of outstanding data is not an RTT sample.

import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Random, type StreamSocket } from '@netlayers/core';
import { TcpLayer } from '@netlayers/transport';
import { Network } from '../src/index.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('the stale-echo stall (RFC 7323 §4.1, §4.3)', () => {
  it('seed 11, CUBIC: delivers 1 MiB exactly with the RTO near the path, well inside 600 simulated seconds', () => {
    const tcp = { congestionControl: 'cubic', msl: '1s' } as const;
    const net = new Network({ seed: 'soak:11:cubic:rfc' });
    const client = net.addHost('client', { tcp });
    const server = net.addHost('server', { tcp });
    net.connect([client, '10.0.0.1/24'], [server, '10.0.0.2/24'], {
      bandwidth: '100Mbps',
      delay: '2ms',
      queueLimit: 1000,
      impairments: { loss: 0.1, duplicate: 0.02, reorder: { probability: 0.05, delay: '2ms' }, corrupt: 0.01 },
    });
    const data = new Random('soak-data:11').bytes(1 << 20);
    const chunks: Uint8Array[] = [];
    let ended = -1;
    server.tcp.listen({ port: 5001 }).on('connection', (s: StreamSocket) => {
      s.on('data', (c: Uint8Array) => chunks.push(c.slice()));
      s.on('end', () => {
        ended = net.now();
        s.end();
      });
    });
    const socket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 5001 });
    let offset = 0;
    const pump = (): void => {
      while (offset < data.length) {
        const end = Math.min(data.length, offset + 65536);
        const more = socket.write(data.subarray(offset, end));
        offset = end;
        if (!more) return;
      }
      socket.end();
    };
    socket.on('connect', pump);
    socket.on('drain', pump);
    let worstSrtt = 0;
    const clientTcp = client.tcp as TcpLayer;
    while (ended < 0 && net.now() < 600e9) {
      net.runFor('100ms');
      for (const c of clientTcp.connections()) worstSrtt = Math.max(worstSrtt, c.srtt ?? 0);
    }
    expect(ended).toBeGreaterThan(0);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(data));
    // The path's RTT is 4 ms plus queueing: a smoothed RTT of seconds means echoes were mistimed.
    expect(worstSrtt).toBeLessThan(500e6);
    expect(ended).toBeLessThan(120e9);
  });
});
