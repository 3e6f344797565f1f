import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { NS_PER_MS, Random, SocketError, createSimulationContext, driveWithEventLoop } from '@netlayers/core';
import { toDuplex, type StreamSocketDuplex } from '../../src/node/index.ts';
import { MemoryNetwork, type MemorySocket, type MemoryNetworkOptions } from '@netlayers/testing';
import { once, runUntilSettled } from './support/drive.ts';

function setup(options: MemoryNetworkOptions = {}) {
  const sim = createSimulationContext(1);
  const net = new MemoryNetwork(sim.scheduler, options);
  const serverTransport = net.transport('10.0.0.2');
  const clientTransport = net.transport('10.0.0.1');
  const listener = serverTransport.listen({ port: 7 });
  const accepted = new Promise<{ duplex: StreamSocketDuplex; raw: MemorySocket }>((resolve) =>
    listener.on('connection', (s) => resolve({ duplex: toDuplex(s, { allowHalfOpen: true }), raw: s as MemorySocket })),
  );
  const raw = clientTransport.connect({ remoteAddress: '10.0.0.2', remotePort: 7 });
  const client = toDuplex(raw, { connecting: true, timers: sim.scheduler });
  return { sim, net, listener, accepted, client, raw };
}

/** Read a stream to its end without the async iterator (which destroys a half-open Duplex). */
function collectText(stream: StreamSocketDuplex): Promise<string> {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve) => stream.once('end', () => resolve(Buffer.concat(chunks).toString())));
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('toDuplex over an in-memory StreamTransport', () => {
  it('connects, exposes net.Socket address properties, and carries an echo both ways', async () => {
    const { sim, accepted, client } = setup();
    expect(client.connecting).toBe(true);
    expect(client.readyState).toBe('opening');
    // Written before the connection exists: held until 'connect'.
    client.write('hello, ');
    client.end('world');
    const connected = once(client, 'connect');
    const { duplex: server } = await runUntilSettled(sim.scheduler, accepted);
    server.pipe(server);
    const reply = await runUntilSettled(sim.scheduler, text(client));
    await connected;
    expect(reply).toBe('hello, world');
    expect(client.connecting).toBe(false);
    expect(client.remoteAddress).toBe('10.0.0.2');
    expect(client.remotePort).toBe(7);
    expect(client.remoteFamily).toBe('IPv4');
    expect(client.localAddress).toBe('10.0.0.1');
    expect(server.remoteAddress).toBe('10.0.0.1');
    expect(server.remotePort).toBe(client.localPort);
    expect(client.address()).toEqual({ address: '10.0.0.1', family: 'IPv4', port: client.localPort });
    expect(client.bytesWritten).toBe(12);
    expect(client.bytesRead).toBe(12);
  });

  it('turns end() into FIN: the peer sees end, and both sides close without error', async () => {
    const { sim, accepted, client, raw } = setup();
    const { duplex: server, raw: serverRaw } = await runUntilSettled(sim.scheduler, accepted);
    const serverEnded = once(server, 'end');
    server.resume();
    client.resume();
    client.end();
    await runUntilSettled(sim.scheduler, serverEnded);
    expect(serverRaw.state).toBe('CLOSE-WAIT');
    server.end();
    const closes = Promise.all([once(client, 'close'), once(server, 'close')]);
    await runUntilSettled(sim.scheduler, closes);
    expect(client.errored).toBeNull();
    expect(server.errored).toBeNull();
    // The transport finishes its own close after the streams are done.
    sim.scheduler.runUntilIdle();
    expect(raw.closed).toBe(true);
    expect(serverRaw.closed).toBe(true);
  });

  it('turns resetAndDestroy() into a reset: the peer gets ECONNRESET', async () => {
    const { sim, accepted, client } = setup();
    const { duplex: server } = await runUntilSettled(sim.scheduler, accepted);
    await runUntilSettled(sim.scheduler, once(client, 'connect'));
    const serverError = once<[SocketError]>(server, 'error');
    client.resetAndDestroy();
    const [error] = await runUntilSettled(sim.scheduler, serverError);
    expect(error).toBeInstanceOf(SocketError);
    expect(error.code).toBe('ECONNRESET');
  });

  it('closes with FIN on destroy() of an idle socket, as close(2) does: the peer sees end, no error', async () => {
    const { sim, accepted, client } = setup();
    const { duplex: server } = await runUntilSettled(sim.scheduler, accepted);
    await runUntilSettled(sim.scheduler, once(client, 'connect'));
    let serverError: unknown;
    server.on('error', (e) => (serverError = e));
    const ended = once(server, 'end');
    server.resume();
    client.destroy();
    await runUntilSettled(sim.scheduler, ended);
    expect(serverError).toBeUndefined();
  });

  it('resets on destroy() when received data was never read (RFC 1122 §4.2.2.13)', async () => {
    const { sim, accepted, client } = setup();
    const { duplex: server } = await runUntilSettled(sim.scheduler, accepted);
    await runUntilSettled(sim.scheduler, once(client, 'connect'));
    server.write('unread by the client');
    const serverError = once<[SocketError]>(server, 'error');
    sim.scheduler.runFor(50_000_000);
    expect(client.readableLength).toBeGreaterThan(0);
    client.destroy();
    const [error] = await runUntilSettled(sim.scheduler, serverError);
    expect(error.code).toBe('ECONNRESET');
  });

  it('does not reset after FIN was sent: destroySoon() delivers the last bytes', async () => {
    const { sim, accepted, client } = setup();
    const { duplex: server } = await runUntilSettled(sim.scheduler, accepted);
    let serverError: unknown;
    server.on('error', (e) => (serverError = e));
    const body = collectText(server);
    client.write('last words');
    client.destroySoon();
    expect(await runUntilSettled(sim.scheduler, body)).toBe('last words');
    expect(serverError).toBeUndefined();
  });

  it('propagates a connection error with its code (ECONNREFUSED)', async () => {
    const sim = createSimulationContext(1);
    const net = new MemoryNetwork(sim.scheduler);
    const client = toDuplex(net.transport('10.0.0.1').connect({ remoteAddress: '10.0.0.2', remotePort: 81 }), { connecting: true });
    const [error] = await runUntilSettled(sim.scheduler, once<[SocketError]>(client, 'error'));
    expect(error.code).toBe('ECONNREFUSED');
    expect(client.destroyed).toBe(true);
  });

  it('fails a write held during connect when the connection is refused', async () => {
    const sim = createSimulationContext(1);
    const net = new MemoryNetwork(sim.scheduler);
    const client = toDuplex(net.transport('10.0.0.1').connect({ remoteAddress: '10.0.0.2', remotePort: 81 }), { connecting: true });
    client.on('error', () => undefined);
    const written = new Promise<Error | null | undefined>((resolve) => client.write('early', (e) => resolve(e)));
    const error = await runUntilSettled(sim.scheduler, written);
    expect((error as SocketError).code).toBe('ECONNREFUSED');
  });

  it('fails a pending write when the connection resets', async () => {
    const { sim, accepted, client } = setup({ window: 1000, highWaterMark: 1000 });
    const { raw: serverRaw } = await runUntilSettled(sim.scheduler, accepted);
    await runUntilSettled(sim.scheduler, once(client, 'connect'));
    serverRaw.pause();
    const errors: unknown[] = [];
    client.on('error', (e) => errors.push(e));
    const writeDone = new Promise<Error | null | undefined>((resolve) => client.write(new Uint8Array(50_000), (e) => resolve(e)));
    await driveWithEventLoop(sim.scheduler, { deadline: sim.scheduler.now() + 20 * NS_PER_MS });
    serverRaw.destroy();
    const writeError = await runUntilSettled(sim.scheduler, writeDone);
    expect((writeError as SocketError).code).toBe('ECONNRESET');
  });

  it('applies backpressure both ways: a stalled reader pauses the transport and write() waits for drain', async () => {
    const { sim, accepted, client, raw } = setup({ window: 8 * 1024, highWaterMark: 4 * 1024, segment: 1000 });
    const { duplex: server, raw: serverRaw } = await runUntilSettled(sim.scheduler, accepted);
    await runUntilSettled(sim.scheduler, once(client, 'connect'));
    const payload = new Random('duplex-backpressure').bytes(200_000);

    // The server does not read yet. The client writes until write() says stop.
    let offset = 0;
    while (offset < payload.length && client.write(payload.subarray(offset, offset + 1000))) offset += 1000;
    offset += 1000;
    expect(offset).toBeLessThan(payload.length);
    let drained = false;
    client.once('drain', () => (drained = true));

    await driveWithEventLoop(sim.scheduler, { deadline: sim.scheduler.now() + 200 * NS_PER_MS });
    // The reader's buffer filled, push() said no, the transport was paused, its window closed...
    expect(serverRaw.pauses).toBeGreaterThan(0);
    expect(server.readableLength).toBeLessThanOrEqual(server.readableHighWaterMark + 1000);
    // ...so the sender's transport stays full and the Duplex never drained.
    expect(drained).toBe(false);
    expect(raw.bytesWritten).toBeLessThan(server.readableHighWaterMark + 8 * 1024 + 1000);

    // Now read everything; the writer continues on each 'drain'.
    const chunks: Buffer[] = [];
    server.on('data', (c: Buffer) => chunks.push(c));
    const serverDone = once(server, 'end');
    const writeRest = async () => {
      while (offset < payload.length) {
        if (!client.write(payload.subarray(offset, offset + 1000))) await once(client, 'drain');
        offset += 1000;
      }
      client.end();
    };
    const writer = writeRest();
    await runUntilSettled(sim.scheduler, Promise.all([writer, serverDone]));
    expect(drained).toBe(true);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(payload));
  });

  it('still delivers everything over a transport that cannot pause (the Duplex buffers)', async () => {
    const { sim, accepted, client } = setup({ window: 8 * 1024, highWaterMark: 4 * 1024 });
    const { duplex: server, raw: serverRaw } = await runUntilSettled(sim.scheduler, accepted);
    // Hide pause()/resume(): the adapter must not rely on them.
    Object.assign(serverRaw, { pause: undefined, resume: undefined });
    const payload = new Random('no-pause').bytes(100_000);
    client.end(payload);
    await driveWithEventLoop(sim.scheduler, { deadline: sim.scheduler.now() + 500 * NS_PER_MS });
    expect(serverRaw.pauses).toBe(0);
    // Nobody read yet: everything sits in the Duplex, above its high-water mark.
    expect(server.readableLength).toBe(payload.length);
    const received = collectText(server);
    await runUntilSettled(sim.scheduler, received);
    expect(server.bytesRead).toBe(payload.length);
  });

  it('maps setNoDelay/setKeepAlive to the socket and fires setTimeout in virtual time', async () => {
    const { sim, raw, client } = setup();
    expect(client.setNoDelay()).toBe(client);
    expect(raw.noDelay).toBe(true);
    expect(client.setKeepAlive(true, 1500)).toBe(client);
    expect(raw.keepAlive).toEqual({ enable: true, initialDelay: 1500 * NS_PER_MS });
    expect(client.ref()).toBe(client);
    expect(client.unref()).toBe(client);
    await runUntilSettled(sim.scheduler, once(client, 'connect'));
    const start = sim.scheduler.now();
    let firedAt = -1;
    client.setTimeout(250, () => (firedAt = sim.scheduler.now()));
    expect(client.timeout).toBe(250);
    sim.scheduler.runFor(1000 * NS_PER_MS);
    expect(firedAt - start).toBe(250 * NS_PER_MS);
    // Disabled: no further event.
    let again = false;
    client.setTimeout(0);
    client.on('timeout', () => (again = true));
    sim.scheduler.runFor(1000 * NS_PER_MS);
    expect(again).toBe(false);
  });
});
