// Behaviour both swaps share: exact delivery over a lossy, reordering link, connection
// set-up and teardown, refusal, timeout, reset, misuse errors and tracing.

import { describe, expect, it } from 'vitest';
import {
  InvalidAddressError,
  InvalidArgumentError,
  NS_PER_MS,
  Random,
  SocketError,
  createNodeContext,
  type IpService,
  type NodeContext,
  type PduEvent,
  type StateEvent,
} from '@netlayers/core';
import { ArqSocket, GO_BACK_N_PROTOCOL, GoBackNTransport, STOP_AND_WAIT_PROTOCOL, StopAndWaitTransport, type ArqTransport } from '../../src/transport/index.ts';
import { exchange, sha256, world } from './support/world.ts';

const LOSSY = { delay: 5 * NS_PER_MS, loss: 0.05, reorder: 0.05, reorderDelay: 15 * NS_PER_MS, duplicate: 0.02 };

const kinds: Array<[string, (node: NodeContext, ip: IpService) => ArqTransport]> = [
  ['stop-and-wait', (node, ip) => new StopAndWaitTransport(node, ip)],
  ['go-back-n', (node, ip) => new GoBackNTransport(node, ip, { window: 8 })],
];

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as SocketError).code;
  }
  return 'no error';
}

for (const [name, make] of kinds) {
  describe(`${name} as a StreamTransport`, () => {
    it('moves 200 KB each way exactly over a lossy, reordering, duplicating link', () => {
      const w = world(make, LOSSY, 17);
      const request = new Random(`${name}-request`).bytes(200 * 1024);
      const response = new Random(`${name}-response`).bytes(200 * 1024);
      const result = exchange(w, request, response);
      expect(result.atServer.length).toBe(request.length);
      expect(sha256(result.atServer)).toBe(sha256(request));
      expect(result.atClient.length).toBe(response.length);
      expect(sha256(result.atClient)).toBe(sha256(response));
      // The link really misbehaved, and the protocol really recovered.
      expect(w.net.stats.lost).toBeGreaterThan(20);
      expect(w.net.stats.reordered).toBeGreaterThan(20);
      expect(w.net.stats.duplicated).toBeGreaterThan(5);
      expect(result.client).toBeInstanceOf(ArqSocket);
      expect((result.client as ArqSocket).retransmissions + (result.server as ArqSocket).retransmissions).toBeGreaterThan(0);
      expect(result.events.filter((e) => e.includes('error'))).toEqual([]);
      expect(w.a.connectionCount + w.b.connectionCount).toBe(0);
    });

    it('sets up and tears down with RFC 9293 state names, end before close on both sides', () => {
      const w = world(make, { delay: NS_PER_MS });
      const states: string[] = [];
      w.sim.trace.on('state', (e: StateEvent) => states.push(`${e.node}:${e.from}->${e.to}`));
      const result = exchange(w, new TextEncoder().encode('ping'), new TextEncoder().encode('pong'));
      expect(new TextDecoder().decode(result.atServer)).toBe('ping');
      expect(new TextDecoder().decode(result.atClient)).toBe('pong');
      expect(result.events).toEqual(['client:connect', 'server:end', 'client:end', 'client:close:false', 'server:close:false']);
      expect(states.filter((s) => s.startsWith('a:'))).toEqual([
        'a:CLOSED->SYN-SENT',
        'a:SYN-SENT->ESTABLISHED',
        'a:ESTABLISHED->FIN-WAIT-1',
        'a:FIN-WAIT-1->FIN-WAIT-2',
        'a:FIN-WAIT-2->TIME-WAIT',
        'a:TIME-WAIT->CLOSED',
      ]);
      expect(states.filter((s) => s.startsWith('b:'))).toEqual([
        'b:CLOSED->ESTABLISHED',
        'b:ESTABLISHED->CLOSE-WAIT',
        'b:CLOSE-WAIT->LAST-ACK',
        'b:LAST-ACK->CLOSED',
      ]);
    });

    it('refuses a connection to a port with no listener (RST -> ECONNREFUSED)', () => {
      const w = world(make);
      const events: string[] = [];
      const socket = w.a.connect({ remoteAddress: '10.0.0.2', remotePort: 81 });
      socket.on('error', (e) => events.push(e.code));
      socket.on('close', (hadError) => events.push(`close:${hadError}`));
      w.sim.scheduler.runUntilIdle();
      expect(events).toEqual(['ECONNREFUSED', 'close:true']);
      expect(socket.state).toBe('CLOSED');
    });

    it('gives up with ETIMEDOUT after maxRetries timeouts when the peer is silent', () => {
      const w = world((node, ip) => (name === 'go-back-n' ? new GoBackNTransport(node, ip, { timeout: '100ms', maxRetries: 3 }) : new StopAndWaitTransport(node, ip, { timeout: '100ms', maxRetries: 3 })));
      // A host that takes the segments in and never answers.
      const silent = w.net.addNode(createNodeContext(w.sim, 'c'), '10.0.0.3');
      silent.registerProtocol(name === 'go-back-n' ? GO_BACK_N_PROTOCOL : STOP_AND_WAIT_PROTOCOL, () => undefined);
      let failedAt = -1;
      let code = '';
      const socket = w.a.connect({ remoteAddress: '10.0.0.3', remotePort: 80 });
      socket.on('error', (e) => {
        code = e.code;
        failedAt = w.sim.scheduler.now();
      });
      w.sim.scheduler.runUntilIdle();
      expect(code).toBe('ETIMEDOUT');
      expect(failedAt).toBe(4 * 100 * NS_PER_MS);
    });

    it('turns destroy() into a reset: the peer gets ECONNRESET', () => {
      const w = world(make);
      const serverEvents: string[] = [];
      w.b.listen({ port: 80 }).on('connection', (s) => {
        s.on('error', (e) => serverEvents.push(e.code));
        s.on('close', (hadError) => serverEvents.push(`close:${hadError}`));
      });
      const client = w.a.connect({ remoteAddress: '10.0.0.2', remotePort: 80 });
      client.on('connect', () => client.destroy());
      w.sim.scheduler.runUntilIdle();
      expect(serverEvents).toEqual(['ECONNRESET', 'close:true']);
    });

    it('reports misuse with typed errors naming the value', () => {
      const w = world(make);
      expect(() => w.a.connect({ remoteAddress: '10.0.0.2', remotePort: 0 })).toThrow(InvalidArgumentError);
      expect(() => w.a.connect({ remoteAddress: '10.0.0.2', remotePort: 70000 })).toThrow(/remotePort 70000/);
      expect(() => w.a.connect({ remoteAddress: '10.0.0.999', remotePort: 80 })).toThrow(InvalidAddressError);
      w.b.listen({ port: 80 });
      expect(codeOf(() => w.b.listen({ port: 80 }))).toBe('EADDRINUSE');
      expect(codeOf(() => w.b.listen({ port: 81, address: '10.0.0.1' }))).toBe('EADDRNOTAVAIL');
      const client = w.a.connect({ remoteAddress: '10.0.0.2', remotePort: 80 });
      client.end('bye');
      expect(codeOf(() => client.write('more'))).toBe('EPIPE');
      expect(() => client.write('more')).toThrow(SocketError);
    });

    it('traces pdu events with its protocol name and flags retransmissions', () => {
      const w = world(make, { delay: NS_PER_MS, loss: 0.2 }, 5);
      const pdus: PduEvent[] = [];
      w.sim.trace.on('pdu', (e) => {
        if (e.role !== 'network') pdus.push(e); // the fake IP network traces its own datagrams
      });
      exchange(w, new Uint8Array(20_000), new Uint8Array(10));
      expect(pdus.length).toBeGreaterThan(20);
      for (const e of pdus) {
        expect(e.role).toBe('transport');
        expect(e.protocol).toBe(name);
        expect(e.headerLength).toBe(16);
        expect(e.header).toMatchObject({ protocol: 'arq', variant: name });
        expect(Object.keys(e.header).sort()).toEqual(['ack', 'destinationPort', 'flags', 'payloadLength', 'protocol', 'seq', 'sourcePort', 'variant']);
      }
      const syn = pdus.find((e) => e.direction === 'down' && e.header.protocol === 'arq' && e.header.flags.join() === 'SYN')!;
      expect(syn.text).toMatch(/^10\.0\.0\.1\.\d+ > 10\.0\.0\.2\.80: Flags \[S\], seq 0, ack 0, length 0$/);
      expect(pdus.some((e) => e.retransmission === true)).toBe(true);
    });
  });
}

describe('ARQ options', () => {
  it('rejects bad options, naming them', () => {
    const w = world((node, ip) => new StopAndWaitTransport(node, ip));
    expect(() => new GoBackNTransport(w.nodeA, w.ipA, { window: 0 })).toThrow(/window 0/);
    expect(() => new StopAndWaitTransport(w.nodeA, w.ipA, { timeout: '0ms' })).toThrow(InvalidArgumentError);
    expect(() => new StopAndWaitTransport(w.nodeA, w.ipA, { timeout: 'soon' })).toThrow(/"soon"/);
    expect(() => new StopAndWaitTransport(w.nodeA, w.ipA, { segmentSize: 0 })).toThrow(/segmentSize 0/);
  });
});
