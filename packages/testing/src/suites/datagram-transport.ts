// Conformance suite for the datagram transport contract (DatagramTransport / DatagramSocket
// in @netlayers/core): what an application relies on from UDP (RFC 768) or a replacement.
// Bind, send and 'message' with the remote address and port, message boundaries, ephemeral
// ports, EADDRINUSE, ICMP port unreachable (RFC 1122 §4.1.3.1) reported to the sender as
// an 'error' event (ECONNREFUSED, as Node's dgram does on a connected socket), misuse errors.

import { describe, expect } from 'vitest';
import { UnreachableCode, type DatagramRemote, type DatagramSocket, type DatagramTransport, type IpService, type NodeContext } from '@netlayers/core';
import { FakeIpNetwork, type FakeIpService } from '../fakes/ip-network.ts';
import { codeOf, createWorld, runUntil, testBytes, text, thrown, type TestWorld, teachingIt } from './support.ts';

const it = teachingIt('datagram transport conformance', {
  "delivers a datagram as one 'message' with the sender's address and port, and the reply comes back": { rfc: 'RFC 768', hint: "emit 'message' with the payload and { address, port } of the sender" },
  'keeps message boundaries and carries a datagram larger than the MTU whole': { rfc: 'RFC 768', hint: 'one send() is one datagram: never merge or split messages (IP fragments the large one)' },
  'binds distinct ephemeral ports when no port is given': { rfc: 'RFC 6335 §6', hint: 'pick ephemeral ports from a range (49152-65535) and skip ports in use' },
  'refuses a port already bound with EADDRINUSE, and frees it on close': { hint: 'keep a map of bound ports; throw SocketError EADDRINUSE; delete the entry on close()' },
  'answers a datagram to an unbound port with ICMP port unreachable, and the sender gets an error event': { rfc: 'RFC 1122 §4.1.3.1, RFC 792', hint: "call ip.sendUnreachable(info, UnreachableCode.Port) for an unbound port; in onError, emit 'error' ECONNREFUSED on the socket that sent it" },
  'throws typed errors for misuse: bad ports, bad addresses, send after close': { hint: 'validate with the core errors (InvalidArgumentError, SocketError) and include the value in the message' },
});

export interface DatagramTransportSuiteOptions {
  /**
   * Whether the implementation answers a datagram for an unbound port with ICMP port
   * unreachable and reports the ICMP error to the sending socket as an 'error' event
   * (default true).
   */
  readonly portUnreachable?: boolean;
}

interface Inbox {
  readonly messages: { data: Uint8Array; remote: DatagramRemote }[];
  readonly errors: unknown[];
}

function inbox(socket: DatagramSocket): Inbox {
  const box: Inbox = { messages: [], errors: [] };
  socket.on('message', (data, remote) => box.messages.push({ data: data.slice(), remote }));
  socket.on('error', (error) => box.errors.push(error));
  return box;
}

export function datagramTransportSuite(name: string, factory: (node: NodeContext, ip: IpService) => DatagramTransport, options: DatagramTransportSuiteOptions = {}): void {
  function setup(): { world: TestWorld; client: DatagramTransport; server: DatagramTransport; serverIp: FakeIpService } {
    const world = createWorld();
    const net = new FakeIpNetwork(world.sim, { delay: '1ms' });
    const clientNode = world.node('client');
    const serverNode = world.node('server');
    const serverIp = net.addNode(serverNode, '10.0.0.2');
    return { world, client: factory(clientNode, net.addNode(clientNode, '10.0.0.1')), server: factory(serverNode, serverIp), serverIp };
  }

  describe(`${name}: datagram transport conformance`, () => {
    it("delivers a datagram as one 'message' with the sender's address and port, and the reply comes back", () => {
      const { world, client, server } = setup();
      const serverSocket = server.bind({ port: 5300 });
      const clientSocket = client.bind();
      const atServer = inbox(serverSocket);
      const atClient = inbox(clientSocket);
      clientSocket.send('ping', 5300, '10.0.0.2');
      runUntil(world, () => atServer.messages.length >= 1, '10s');
      expect(atServer.messages.length).toBe(1);
      const { data, remote } = atServer.messages[0]!;
      expect(text(data)).toBe('ping');
      expect(remote.address.toString()).toBe('10.0.0.1');
      expect(remote.port).toBe(clientSocket.localPort);
      serverSocket.send('pong', remote.port, remote.address);
      runUntil(world, () => atClient.messages.length >= 1, '10s');
      expect(text(atClient.messages[0]!.data)).toBe('pong');
      expect(atClient.messages[0]!.remote.address.toString()).toBe('10.0.0.2');
      expect(atClient.messages[0]!.remote.port).toBe(5300);
    });

    it('keeps message boundaries and carries a datagram larger than the MTU whole', () => {
      const { world, client, server } = setup();
      const atServer = inbox(server.bind({ port: 5300 }));
      const socket = client.bind();
      const sizes = [1, 512, 1472, 8000, 0];
      for (const [i, size] of sizes.entries()) socket.send(testBytes(size, `d${i}`), 5300, '10.0.0.2');
      runUntil(world, () => atServer.messages.length >= sizes.length, '10s');
      expect(atServer.messages.map((m) => m.data.length)).toEqual(sizes);
      atServer.messages.forEach((m, i) => expect(m.data).toEqual(testBytes(sizes[i]!, `d${i}`)));
    });

    it('binds distinct ephemeral ports when no port is given', () => {
      const { client } = setup();
      const ports = [client.bind(), client.bind(), client.bind()].map((s) => s.localPort);
      for (const port of ports) {
        expect(Number.isInteger(port)).toBe(true);
        expect(port).toBeGreaterThanOrEqual(1024);
        expect(port).toBeLessThanOrEqual(65535);
      }
      expect(new Set(ports).size).toBe(3);
    });

    it('refuses a port already bound with EADDRINUSE, and frees it on close', () => {
      const { server } = setup();
      const first = server.bind({ port: 5300 });
      expect(codeOf(thrown(() => server.bind({ port: 5300 })))).toBe('EADDRINUSE');
      first.close();
      expect(server.bind({ port: 5300 }).localPort).toBe(5300);
    });

    if (options.portUnreachable !== false) {
      it('answers a datagram to an unbound port with ICMP port unreachable, and the sender gets an error event', () => {
        const { world, client, serverIp } = setup();
        const socket = client.bind();
        const box = inbox(socket);
        socket.send('anyone?', 5999, '10.0.0.2');
        runUntil(world, () => box.errors.length >= 1, '10s');
        expect(serverIp.unreachablesSent.map((u) => u.code)).toEqual([UnreachableCode.Port]);
        expect(box.errors.length).toBe(1);
        expect(codeOf(box.errors[0])).toBe('ECONNREFUSED');
        expect(box.messages).toEqual([]);
      });
    }

    it('throws typed errors for misuse: bad ports, bad addresses, send after close', () => {
      const { client } = setup();
      const socket = client.bind();
      for (const port of [0, 70000, -5]) {
        const error = thrown(() => socket.send('x', port, '10.0.0.2'));
        expect(error).toBeInstanceOf(Error);
        expect(codeOf(error)).toMatch(/^(ERR_[A-Z_]+|E[A-Z]+)$/); // a typed core error, with its code
        if (port !== 0) expect(String((error as Error).message)).toContain(String(port));
      }
      const badAddress = thrown(() => socket.send('x', 5300, '10.0.0.300'));
      expect(codeOf(badAddress)).toBe('ERR_INVALID_ADDRESS');
      const bindError = thrown(() => client.bind({ port: 70000 }));
      expect(codeOf(bindError)).toMatch(/^(ERR_[A-Z_]+|E[A-Z]+)$/);
      expect(String((bindError as Error).message)).toContain('70000');
      socket.close();
      expect(codeOf(thrown(() => socket.send('x', 5300, '10.0.0.2')))).toMatch(/^(ERR_[A-Z_]+|E[A-Z]+)$/);
    });
  });
}
