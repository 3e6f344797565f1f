// Capture points in a whole network, as tcpdump has them: the frames a host's capture shows
// going out are exactly the segments its TCP sent, in the order it sent them, however the
// link in between loses, reorders, duplicates or corrupts them; the medium's doings are
// events on the link.

import { describe, expect, it } from 'vitest';
import type { FrameEvent, PduEvent, TraceEvent } from '@netlayers/core';
import { Network } from '../src/index.ts';

/** "seq/ack/len" of the TCP segment in an Ethernet II + IPv4 frame, or undefined. */
function tcpKey(frame: Uint8Array): string | undefined {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint16(12) !== 0x0800 || frame[23] !== 6) return undefined;
  const ihl = (frame[14]! & 0x0f) * 4;
  const total = view.getUint16(16);
  const tcp = 14 + ihl;
  const dataOffset = (frame[tcp + 12]! >> 4) * 4;
  return `${view.getUint32(tcp + 4)}/${view.getUint32(tcp + 8)}/${total - ihl - dataOffset}`;
}

function run(seed: number) {
  const net = new Network({ seed });
  const events: TraceEvent[] = [];
  net.trace.on('event', (e) => events.push(e.kind === 'frame' ? { ...e, bytes: e.bytes.slice() } : e));
  const r1 = net.addRouter('r1');
  const client = net.addHost('client', { gateway: '10.0.1.1' });
  const server = net.addHost('server', { gateway: '10.0.2.1' });
  net.connect([client, '10.0.1.10/24'], [r1, '10.0.1.1/24'], { delay: '1ms' });
  net.connect([r1, '10.0.2.1/24'], [server, '10.0.2.10/24'], {
    name: 'wan',
    delay: '2ms',
    impairments: { loss: 0.1, duplicate: 0.05, corrupt: 0.05, reorder: { probability: 0.1, delay: '3ms' } },
  });
  server.tcp.listen({ port: 80 }).on('connection', (s) => {
    s.on('data', (d: Uint8Array) => s.write(d));
    s.on('end', () => s.end());
  });
  const socket = client.tcp.connect({ remoteAddress: '10.0.2.10', remotePort: 80 });
  socket.on('connect', () => {
    for (let i = 0; i < 40; i++) socket.write(new Uint8Array(700).fill(i));
    socket.end();
  });
  socket.on('data', () => {});
  net.runUntilIdle();
  return events;
}

const frames = (events: TraceEvent[]) => events.filter((e): e is FrameEvent => e.kind === 'frame');

describe('capture points in a network with an impaired link', () => {
  const events = run(4);

  it('each host captures exactly the segments its TCP sent, in order, once each', () => {
    for (const host of ['client', 'server']) {
      const sent = events.filter((e): e is PduEvent => e.kind === 'pdu' && e.protocol === 'tcp' && e.direction === 'down' && e.node === host);
      const sentKeys = sent.map((e) => (e.header.protocol === 'tcp' ? `${e.header.seq}/${e.header.ack}/${e.header.payloadLength}` : ''));
      const captured = frames(events)
        .filter((e) => e.node === host && e.action === 'tx')
        .map((e) => tcpKey(e.bytes))
        .filter((k): k is string => k !== undefined);
      expect(sentKeys.length).toBeGreaterThan(40);
      expect(captured).toEqual(sentKeys);
    }
  });

  it('the medium\'s loss, duplication, corruption and delay are events on the link, sent from the right port', () => {
    const onWan = frames(events).filter((e) => e.node === 'wan');
    const actions = new Set(onWan.map((e) => e.action));
    for (const action of ['lost', 'duplicated', 'corrupted', 'delayed'] as const) expect(actions).toContain(action);
    expect(new Set(onWan.map((e) => e.iface))).toEqual(new Set(['r1:eth1', 'server:eth0']));
    // No node's events say the medium did anything.
    expect(frames(events).filter((e) => e.node !== 'wan' && e.action !== 'tx' && e.action !== 'rx')).toEqual([]);
  });

  it('what the server captured arriving is what r1 sent, less what the link lost, plus its copies', () => {
    const sentByR1 = frames(events).filter((e) => e.node === 'r1' && e.iface === 'eth1' && e.action === 'tx').length;
    const onWan = frames(events).filter((e) => e.node === 'wan' && e.iface === 'r1:eth1');
    const lost = onWan.filter((e) => e.action === 'lost').length;
    const duplicated = onWan.filter((e) => e.action === 'duplicated').length;
    const arrived = frames(events).filter((e) => e.node === 'server' && e.action === 'rx').length;
    expect(lost).toBeGreaterThan(0);
    expect(arrived).toBe(sentByR1 - lost + duplicated);
  });
});
