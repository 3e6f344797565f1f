// Conformance suite for the stream transport contract (StreamTransport / StreamSocket in
// @netlayers/core): what an application relies on from TCP (RFC 9293) or any replacement.
// Connection set-up, exact in-order bytes (small, large, many writes, both directions),
// half-close (RFC 9293 §3.6: 'end' at the peer, the other direction still open), abort,
// refusal (ECONNREFUSED), misuse errors, and — for implementations that claim it (`lossy`) —
// exact delivery over a seeded network that loses, reorders and duplicates datagrams, one
// that corrupts them (the checksum must be checked, RFC 9293 §3.1, RFC 1122 §4.2.2.7), one
// that duplicates, one that reorders, and targeted losses that catch ACK off-by-ones
// (RFC 9293 §3.4, §3.10.7.4). Each case names its rule; a failure says what was expected,
// what happened, and shows the last trace events (see ../teach/failure.ts).
//
// The cases are also available as a list (`streamTransportCases`), so a test can run one and
// look at how it fails.

import { describe, it } from 'vitest';
import { DropReason, type IpService, type NodeContext, type StreamSocket, type StreamTransport } from '@netlayers/core';
import { FakeIpNetwork, type FakeIpNetworkOptions } from '../fakes/ip-network.ts';
import { check, formatValue, type Rule } from '../teach/failure.ts';
import { codeOf, concat, conformanceCase, createWorld, firstDifference, runCase, runUntil, testBytes, text, thrown, type TestWorld } from './support.ts';

export interface StreamTransportSuiteOptions {
  /** Also check exact delivery over lossy, corrupting, duplicating and reordering networks. */
  readonly lossy?: boolean;
  /** Impairments of the mixed lossy network (default loss 3%, reorder 5%, duplicate 2%). */
  readonly impairments?: Pick<FakeIpNetworkOptions, 'loss' | 'reorder' | 'duplicate' | 'delay'>;
  /** Virtual time allowed for the large transfers (default "10min"). */
  readonly transferLimit?: string;
  /**
   * The protocol assumes the network never reorders (an alternating-bit stop-and-wait, whose
   * one-bit sequence numbers cannot tell a late old segment from a new one): the reordering
   * case is registered as skipped, saying why.
   */
  readonly assumesFifo?: boolean;
}

/** One case of the suite: its name, the rule it checks, and its body. */
export interface ConformanceCaseSpec extends Rule {
  readonly name: string;
  /** Only run with `lossy: true`. */
  readonly lossy?: boolean;
  /** Needs a network that may reorder (skipped with `assumesFifo`). */
  readonly reorders?: boolean;
  run(): void;
}

export type StreamTransportFactory = (node: NodeContext, ip: IpService) => StreamTransport;

interface Recorder {
  readonly chunks: Uint8Array[];
  readonly events: string[];
  error?: unknown;
  ended: boolean;
  closed: boolean;
  bytes(): Uint8Array;
}

function record(socket: StreamSocket): Recorder {
  const r: Recorder = {
    chunks: [],
    events: [],
    ended: false,
    closed: false,
    bytes: () => concat(r.chunks),
  };
  socket.on('connect', () => r.events.push('connect'));
  socket.on('data', (chunk) => r.chunks.push(chunk.slice()));
  socket.on('end', () => {
    r.ended = true;
    r.events.push('end');
  });
  socket.on('error', (error) => {
    r.error = error;
    r.events.push(`error:${codeOf(error)}`);
  });
  socket.on('close', () => {
    r.closed = true;
    r.events.push('close');
  });
  return r;
}

interface Connected {
  readonly world: TestWorld;
  readonly net: FakeIpNetwork;
  readonly client: StreamSocket;
  readonly server: StreamSocket;
  readonly c: Recorder;
  readonly s: Recorder;
  readonly clientTransport: StreamTransport;
  readonly serverTransport: StreamTransport;
}

const PORT = 7000;
const SUITE = 'stream transport conformance';

/** Datagrams bigger than this carry data (headers and pure ACKs are smaller). */
const DATA_BEARING = 64;

/** Describe how `actual` differs from `expected` in a sentence. */
export function byteDifference(actual: Uint8Array, expected: Uint8Array): string {
  const at = firstDifference(actual, expected);
  if (at === -1) return `identical ${actual.length} bytes`;
  if (at >= actual.length) return `${actual.length} of ${expected.length} bytes arrived (all correct so far; the rest never came)`;
  if (at >= expected.length) return `${actual.length} bytes arrived, ${actual.length - expected.length} more than were sent (duplicated data?)`;
  return `${actual.length} bytes arrived; first difference at byte ${at}: expected 0x${hex(expected[at]!)}, got 0x${hex(actual[at]!)}`;
}

/** What a call threw, for a misuse case's 'actual'. */
function describeThrown(error: unknown): string {
  if (error === undefined) return 'nothing was thrown';
  if (!(error instanceof Error)) return `threw ${formatValue(error)}`;
  const code = codeOf(error);
  return `threw ${error.name}${code === undefined ? ' without a code' : ` (code ${code})`}: ${error.message}`;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** The suite's cases, to register (`streamTransportSuite`) or to run one by one. */
export function streamTransportCases(factory: StreamTransportFactory, options: StreamTransportSuiteOptions = {}): ConformanceCaseSpec[] {
  const limit = options.transferLimit ?? '10min';

  function transports(network: FakeIpNetworkOptions = {}, seed: number | string = 1): { world: TestWorld; net: FakeIpNetwork; clientTransport: StreamTransport; serverTransport: StreamTransport } {
    const world = createWorld(seed);
    const net = new FakeIpNetwork(world.sim, { delay: '1ms', ...network });
    const clientNode = world.node('client');
    const serverNode = world.node('server');
    const clientTransport = factory(clientNode, net.addNode(clientNode, '10.0.0.1'));
    const serverTransport = factory(serverNode, net.addNode(serverNode, '10.0.0.2'));
    return { world, net, clientTransport, serverTransport };
  }

  function connected(network: FakeIpNetworkOptions = {}, seed: number | string = 1): Connected {
    const { world, net, clientTransport, serverTransport } = transports(network, seed);
    const listener = serverTransport.listen({ port: PORT });
    let server: StreamSocket | undefined;
    let s: Recorder | undefined;
    listener.on('connection', (socket) => {
      server = socket;
      s = record(socket);
    });
    const client = clientTransport.connect({ remoteAddress: '10.0.0.2', remotePort: PORT });
    const c = record(client);
    runUntil(world, () => server !== undefined && c.events.includes('connect'), '60s', "the connection to open: 'connect' at the client and 'connection' at the listener");
    return { world, net, client, server: server!, c, s: s!, clientTransport, serverTransport };
  }

  function expectBytes(actual: Uint8Array, expected: Uint8Array, where: string): void {
    check(firstDifference(actual, expected) === -1, `${expected.length} bytes at ${where}, identical to those written`, () => byteDifference(actual, expected));
  }

  function waitForBytes(k: Connected, side: 's' | 'c', length: number, within: string): void {
    const r = k[side];
    const where = side === 's' ? 'the server' : 'the client';
    runUntil(k.world, () => r.bytes().length >= length, within, `${length} bytes at ${where} (${r.bytes().length} so far)`);
  }

  /** Client sends `up` and ends; server sends `down`; both directions must arrive exactly, then the server ends too. */
  function exchange(k: Connected, up: Uint8Array, down: Uint8Array): void {
    k.client.write(up);
    k.client.end();
    k.server.write(down);
    runUntil(k.world, () => k.s.ended && k.c.bytes().length >= down.length, limit, `the server to get all ${up.length} bytes and 'end', and the client ${down.length} bytes`);
    expectBytes(k.s.bytes(), up, 'the server');
    expectBytes(k.c.bytes(), down, 'the client');
    k.server.end();
    runUntil(k.world, () => k.c.ended, limit, "'end' at the client after the server's end()");
  }

  const cases: ConformanceCaseSpec[] = [
    {
      name: 'connects: connect event at the client, connection event at the listener, addresses and ports set',
      rule: "connect() opens a connection: 'connect' at the client, 'connection' at the listener, each socket knowing both ends' addresses and ports",
      rfc: 'RFC 9293 §3.5',
      hint: 'check that the listener answers the opening segment, and that both sides emit their events once the handshake completes',
      run() {
        const k = connected();
        const got = {
          clientRemote: `${k.client.remoteAddress}:${k.client.remotePort}`,
          clientLocalAddress: k.client.localAddress.toString(),
          clientPortValid: k.client.localPort >= 1 && k.client.localPort <= 65535,
          serverLocal: k.server.localPort,
          serverRemote: `${k.server.remoteAddress}:${k.server.remotePort}`,
        };
        const want = { clientRemote: `10.0.0.2:${PORT}`, clientLocalAddress: '10.0.0.1', clientPortValid: true, serverLocal: PORT, serverRemote: `10.0.0.1:${k.client.localPort}` };
        check(JSON.stringify(got) === JSON.stringify(want), formatValue(want), formatValue(got));
      },
    },
    {
      name: 'delivers a small write exactly',
      rule: 'bytes written at one end arrive at the other, exactly, and bytesWritten/bytesRead count them',
      rfc: 'RFC 9293 §3.8',
      hint: "emit 'data' with the payload of each in-order segment; count bytes as they are written and read",
      run() {
        const k = connected();
        k.client.write('hello, stream');
        waitForBytes(k, 's', 13, '60s');
        check(text(k.s.bytes()) === 'hello, stream', '"hello, stream" at the server', () => formatValue(text(k.s.bytes())));
        check(k.server.bytesRead === 13 && k.client.bytesWritten === 13, 'server.bytesRead 13 and client.bytesWritten 13', () => `bytesRead ${k.server.bytesRead}, bytesWritten ${k.client.bytesWritten}`);
      },
    },
    {
      name: 'delivers a large write exactly and in order',
      rule: 'a write larger than one segment is split, sent within the window and reassembled in order',
      rfc: 'RFC 9293 §3.7, §3.8',
      hint: 'segment at the MSS, number each segment, and deliver only in sequence order',
      run() {
        const k = connected();
        const data = testBytes(200_000, 'large');
        k.client.write(data);
        waitForBytes(k, 's', data.length, limit);
        expectBytes(k.s.bytes(), data, 'the server');
      },
    },
    {
      name: 'delivers many small writes as one exact byte stream',
      rule: 'a stream has no message boundaries: 400 writes arrive as one byte stream, in order',
      rfc: 'RFC 9293 §3.8',
      hint: 'queue writes in one send buffer and number bytes (or segments) continuously across writes',
      run() {
        const k = connected();
        const parts: Uint8Array[] = [];
        for (let i = 0; i < 400; i++) parts.push(testBytes(1 + ((i * 37) % 300), `w${i}`));
        for (const part of parts) k.client.write(part);
        const all = concat(parts);
        waitForBytes(k, 's', all.length, limit);
        expectBytes(k.s.bytes(), all, 'the server');
      },
    },
    {
      name: 'carries both directions at once',
      rule: 'a connection is full duplex: data flows both ways at once, each direction with its own sequence space',
      rfc: 'RFC 9293 §3.8',
      hint: 'keep send and receive state apart; ACKs for one direction may ride on data of the other',
      run() {
        const k = connected();
        const up = testBytes(60_000, 'up');
        const down = testBytes(50_000, 'down');
        k.client.write(up);
        k.server.write(down);
        runUntil(k.world, () => k.s.bytes().length >= up.length && k.c.bytes().length >= down.length, limit, `${up.length} bytes at the server and ${down.length} at the client`);
        expectBytes(k.s.bytes(), up, 'the server');
        expectBytes(k.c.bytes(), down, 'the client');
      },
    },
    {
      name: "half-closes: end() gives 'end' at the peer, which can still send back",
      rule: "end() sends FIN after the data: the peer gets 'end' and can still send until it ends too; both then close without error",
      rfc: 'RFC 9293 §3.6',
      hint: "after end(), keep receiving; emit 'end' when the peer's FIN arrives in order, 'close' once both directions are finished",
      run() {
        const k = connected();
        k.client.end('request');
        runUntil(k.world, () => k.s.ended, '60s', "'end' at the server after the client's end('request')");
        check(text(k.s.bytes()) === 'request' && !k.c.ended, "'request' then 'end' at the server, and no 'end' yet at the client", () => `${formatValue(text(k.s.bytes()))} at the server; client ended: ${k.c.ended}`);
        k.server.write('response part 1, ');
        k.server.end('part 2');
        runUntil(k.world, () => k.c.ended, '60s', "'end' at the client after the server's end('part 2')");
        check(text(k.c.bytes()) === 'response part 1, part 2', '"response part 1, part 2" at the client', () => formatValue(text(k.c.bytes())));
        runUntil(k.world, () => k.c.closed && k.s.closed, limit, "'close' at both ends");
        check(k.c.error === undefined && k.s.error === undefined, 'no error at either end', () => `client error ${codeOf(k.c.error)}, server error ${codeOf(k.s.error)}`);
        check(k.c.events.indexOf('end') < k.c.events.indexOf('close'), "'end' before 'close' at the client", () => k.c.events.join(', '));
      },
    },
    {
      name: 'destroy() aborts: the peer sees the connection close',
      rule: 'destroy() aborts the connection (TCP: RST); the peer closes too, with an error code if any',
      rfc: 'RFC 9293 §3.10.5',
      hint: "on destroy(), tell the peer (a reset segment) and emit 'close'; on receiving a reset, emit 'error' (ECONNRESET) and 'close'",
      run() {
        const k = connected();
        k.client.write('some data');
        waitForBytes(k, 's', 9, '60s');
        k.client.destroy();
        runUntil(k.world, () => k.s.closed && k.c.closed, limit, "'close' at both ends after the client's destroy()");
        check(k.s.error === undefined || /^E[A-Z]+$/.test(codeOf(k.s.error) ?? ''), 'no error, or a SocketError with a code like ECONNRESET, at the server', () => formatValue(k.s.error));
      },
    },
    {
      name: 'refuses a connection to a port nobody listens on with a SocketError',
      rule: "a connection to a port with no listener is refused: 'error' ECONNREFUSED, no 'connect', then 'close'",
      rfc: 'RFC 9293 §3.10.7.1, §3.10.7.3',
      hint: 'answer an opening segment for an unknown port with a reset; on a reset in the opening state, fail with ECONNREFUSED',
      run() {
        const { world, clientTransport } = transports();
        const socket = clientTransport.connect({ remoteAddress: '10.0.0.2', remotePort: 9 });
        const r = record(socket);
        runUntil(world, () => r.error !== undefined, limit, "an 'error' event at the client");
        check(codeOf(r.error) === 'ECONNREFUSED' && !r.events.includes('connect'), "'error' with code ECONNREFUSED and no 'connect'", () => `events: ${r.events.join(', ')}`);
        runUntil(world, () => r.closed, '60s', "'close' after the refusal");
      },
    },
    {
      name: 'throws typed errors for misuse: ports out of range, write after end (EPIPE)',
      rule: 'API misuse throws a typed error naming the bad value: ports outside 0..65535, write() after end() (EPIPE)',
      hint: 'validate arguments with the core errors (InvalidArgumentError, SocketError) and include the value in the message',
      run() {
        const { clientTransport, serverTransport } = transports();
        for (const port of [70000, -1, 1.5]) {
          const error = thrown(() => clientTransport.connect({ remoteAddress: '10.0.0.2', remotePort: port }));
          check(/^(ERR_[A-Z_]+|E[A-Z]+)$/.test(codeOf(error) ?? '') && String((error as Error | undefined)?.message).includes(String(port)), `connect to port ${port} throws a typed error (with a code) naming ${port}`, () => describeThrown(error));
        }
        const listenError = thrown(() => serverTransport.listen({ port: 65536 }));
        check(/^(ERR_[A-Z_]+|E[A-Z]+)$/.test(codeOf(listenError) ?? '') && String((listenError as Error | undefined)?.message).includes('65536'), 'listen on port 65536 throws a typed error naming 65536', () => describeThrown(listenError));
        const k = connected();
        k.client.end();
        const epipe = thrown(() => k.client.write('late'));
        check(codeOf(epipe) === 'EPIPE', 'write() after end() throws a SocketError with code EPIPE', () => describeThrown(epipe));
      },
    },
    {
      name: 'delivers exactly and in order over a lossy, reordering, duplicating network',
      rule: 'lost segments are retransmitted, duplicates discarded and out-of-order segments put back in order: the byte stream is exact',
      rfc: 'RFC 9293 §3.8.1, §3.10.7.4',
      hint: 'retransmit on a timeout until acknowledged; accept only the next expected sequence number (or buffer out-of-order ones)',
      lossy: true,
      run() {
        const impairments = { loss: 0.03, reorder: 0.05, duplicate: 0.02, ...options.impairments };
        exchange(connected(impairments, 'lossy'), testBytes(100_000, 'lossy-up'), testBytes(30_000, 'lossy-down'));
      },
    },
    {
      name: 'discards corrupted segments: the checksum is checked and the bytes still arrive exactly',
      rule: 'every segment carries a checksum over the pseudo-header, header and payload; a receiver MUST check it and discard a segment that fails (then the sender retransmits it), counting a drop with reason bad-checksum',
      rfc: 'RFC 9293 §3.1 (Checksum), RFC 1122 §4.2.2.7',
      hint: "verify the checksum (pseudoHeaderSum + onesComplementSum from @netlayers/core) before using any field; on failure call node.tracer.drop('transport', name, DropReason.BadChecksum, ...) and ignore the segment",
      lossy: true,
      run() {
        const k = connected({}, 'corrupt');
        let dataBearing = 0;
        let corrupted = 0;
        k.net.tamper = (payload) => {
          if (payload.length <= DATA_BEARING || ++dataBearing % 5 !== 0) return payload;
          corrupted++;
          const copy = payload.slice();
          copy[copy.length - 1 - (dataBearing % 16)]! ^= 0x20; // one bit of the data, well after any header
          return copy;
        };
        exchange(k, testBytes(60_000, 'corrupt-up'), testBytes(20_000, 'corrupt-down'));
        const drops = k.world.events.filter((e) => e.kind === 'drop' && e.role === 'transport' && e.reason === DropReason.BadChecksum).length;
        check(drops > 0, `at least one transport drop event with reason bad-checksum (${corrupted} segments were corrupted)`, `${drops} such drop events`);
      },
    },
    {
      name: 'discards duplicated segments: each byte is delivered once',
      rule: 'a segment that arrives twice is acknowledged again but its data is delivered only once',
      rfc: 'RFC 9293 §3.4, §3.10.7.4 (first check sequence number)',
      hint: 'deliver a segment only when it starts at the next expected sequence number; for an old one, just send an ACK',
      lossy: true,
      run() {
        exchange(connected({ duplicate: 0.3 }, 'duplicate'), testBytes(60_000, 'dup-up'), testBytes(20_000, 'dup-down'));
      },
    },
    {
      name: 'puts reordered segments back in order',
      rule: 'segments that arrive out of order are never delivered out of order: the receiver buffers or discards them and the stream stays exact',
      rfc: 'RFC 9293 §3.10.7.4, §3.8.1',
      hint: 'compare each segment with the next expected sequence number; buffer (or drop and let the sender retransmit) anything beyond it',
      lossy: true,
      reorders: true,
      run() {
        exchange(connected({ reorder: 0.3, reorderDelay: '6ms' }, 'reorder'), testBytes(60_000, 'reorder-up'), testBytes(20_000, 'reorder-down'));
      },
    },
    {
      name: 'ACK arithmetic: recovers from losses at chosen places (catches ACK off-by-ones)',
      rule: 'an ACK names the next sequence number expected; only acknowledged data leaves the retransmission queue (an acceptable ACK has SND.UNA < SEG.ACK =< SND.NXT)',
      rfc: 'RFC 9293 §3.4, §3.10.7.4 (fifth, check the ACK field)',
      hint: "an ACK of n means 'everything before n arrived', not 'n arrived': check how the receiver computes the ACK and how the sender advances its oldest unacknowledged number",
      lossy: true,
      run() {
        const k = connected({}, 'ack-arithmetic');
        // The first transmissions of chosen data-bearing datagrams from the client (the 3rd,
        // the 4th right after it, the 9th at a window edge of 8, the 17th), and the 2nd and 5th
        // small datagram (an ACK) from the server.
        const dropData = new Set([3, 4, 9, 17]);
        const dropSmall = new Set([2, 5]);
        const seen = { data: 0, small: 0 };
        k.net.tamper = (payload, from) => {
          if (from.address.toString() === '10.0.0.1') {
            if (payload.length > DATA_BEARING && dropData.has(++seen.data)) return null;
          } else if (payload.length <= DATA_BEARING && dropSmall.has(++seen.small)) return null;
          return payload;
        };
        exchange(k, testBytes(40_000, 'ack-up'), testBytes(3_000, 'ack-down'));
      },
    },
  ];
  return options.lossy === true ? cases : cases.filter((c) => c.lossy !== true);
}

/** Run one case of the suite now by name (for tests of the suite itself); throws its SuiteFailure. */
export function runStreamTransportCase(name: string, factory: StreamTransportFactory, options: StreamTransportSuiteOptions = { lossy: true }): void {
  const found = streamTransportCases(factory, options).find((c) => c.name === name || c.name.startsWith(name));
  if (found === undefined) throw new Error(`no stream transport case named "${name}"`);
  runCase(SUITE, found.name, found, () => found.run());
}

export function streamTransportSuite(name: string, factory: StreamTransportFactory, options: StreamTransportSuiteOptions = {}): void {
  describe(`${name}: ${SUITE}`, () => {
    for (const c of streamTransportCases(factory, options)) {
      if (c.reorders === true && options.assumesFifo === true) it.skip(`${c.name} (skipped: the transport assumes a network that never reorders)`, () => undefined);
      else conformanceCase(`${name}: ${SUITE}`, c.name, c, () => c.run());
    }
  });
}
