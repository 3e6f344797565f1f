// Zero-copy receive through the full stack (core's frame-ownership rule, packet.ts): the data
// TCP hands the application is a view of the Ethernet frame it arrived in, not a copy, and
// those views keep their bytes however much traffic follows (carved buffers are never reused).

import { describe, expect, it } from 'vitest';
import { EthernetInterface } from '@netlayers/link';
import { Network } from '../src/index.ts';
import { wrapPort } from './support/wrap-port.ts';

describe('TCP receive path', () => {
  it("hands the application views of the received frames' bytes, which stay intact", () => {
    const net = new Network({ seed: 3 });
    const frames: Uint8Array[] = [];
    const a = net.addHost('a');
    const b = net.addHost('b', { stack: { link: (node, port, options) => new EthernetInterface(node, wrapPort(port, { received: (frame) => frames.push(frame) }), options) } });
    net.connect([a, '10.0.0.1/24'], [b, '10.0.0.2/24'], { bandwidth: '1Gbps', delay: '10us' });
    const sent = new Uint8Array(200_000);
    for (let i = 0; i < sent.length; i++) sent[i] = (i * 7 + (i >>> 9)) & 0xff;
    const chunks: Uint8Array[] = [];
    b.tcp.listen({ port: 9 }).on('connection', (s) => s.on('data', (chunk) => chunks.push(chunk)));
    const s = a.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 9 });
    s.on('connect', () => s.end(sent));
    net.runUntilIdle();

    expect(chunks.length).toBeGreaterThan(100);
    for (const chunk of chunks) {
      const frame = frames.find((f) => f.buffer === chunk.buffer && chunk.byteOffset >= f.byteOffset && chunk.byteOffset + chunk.length <= f.byteOffset + f.length);
      expect(frame, 'a data chunk that is not a view of a received frame').toBeDefined();
    }
    // Read after the whole transfer (and every later allocation): the bytes are still the data sent.
    const received = new Uint8Array(sent.length);
    let at = 0;
    for (const chunk of chunks) {
      received.set(chunk, at);
      at += chunk.length;
    }
    expect(at).toBe(sent.length);
    expect(Buffer.from(received).equals(Buffer.from(sent))).toBe(true);
  });
});
