import { describe, expect, it } from 'vitest';
import { Random } from '@netlayers/core';
import { EchoServer } from '../src/echo.ts';
import { FakeNetwork } from '@netlayers/testing';

describe('EchoServer', () => {
  it('echoes a TCP byte stream and closes after the client does', () => {
    const net = new FakeNetwork({ chunkSize: 7, randomChunks: true });
    const server = net.addHost('server', '10.0.2.10');
    const client = net.addHost('client', '10.0.1.10');
    const echo = new EchoServer({ tcp: server.tcp, udp: server.udp });
    const payload = new Random(3).bytes(5000);
    const socket = client.tcp.connect({ remoteAddress: '10.0.2.10', remotePort: 7 });
    const received: number[] = [];
    let ended = false;
    socket.on('connect', () => socket.end(payload));
    socket.on('data', (c) => received.push(...c));
    socket.on('end', () => (ended = true));
    net.scheduler.runUntilIdle();
    expect(Uint8Array.from(received)).toEqual(payload);
    expect(ended).toBe(true);
    expect(echo.bytesEchoed).toBe(5000);
  });

  it('answers each UDP datagram to its sender', () => {
    const net = new FakeNetwork();
    const server = net.addHost('server', '10.0.2.10');
    const client = net.addHost('client', '10.0.1.10');
    new EchoServer({ udp: server.udp, port: 7007 });
    const socket = client.udp.bind({ port: 5000 });
    const got: string[] = [];
    socket.on('message', (d, remote) => got.push(`${new TextDecoder().decode(d)} from ${remote.address}:${remote.port}`));
    socket.send('one', 7007, '10.0.2.10');
    socket.send('two', 7007, '10.0.2.10');
    net.scheduler.runUntilIdle();
    expect(got).toEqual(['one from 10.0.2.10:7007', 'two from 10.0.2.10:7007']);
  });

  it('needs a transport', () => {
    expect(() => new EchoServer({})).toThrow(/tcp and\/or udp/);
  });
});
