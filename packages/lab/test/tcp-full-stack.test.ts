// TCP (RFC 9293) over the whole five-layer stack: Ethernet II with FCS and ARP through a
// learning switch, IPv4 through a router, and a point-to-point link that loses, reorders,
// duplicates and corrupts frames. Exact delivery under every impairment (corrupted frames
// caught by the FCS and recovered by retransmission), clean closes on both ends, identical
// traces for identical seeds, TIME-WAIT of exactly 2*MSL (§3.4.2, §3.10.7.4) including
// its restart on a retransmitted FIN, RST for a closed port (§3.10.7.1: ECONNREFUSED) and
// SYN retransmission with exponential backoff (RFC 6298 §5.5) ending in ETIMEDOUT.

import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { Random, SocketError, type Medium, type StreamSocket, type TraceEvent } from '@netlayers/core';
import { PointToPointLink, type ImpairmentOptions } from '@netlayers/physical';
import { TcpLayer, type TcpOptions } from '@netlayers/transport';
import { Network, type Host } from '../src/index.ts';
import { wrapPort } from './support/wrap-port.ts';

const SERVER = '10.0.2.10';
const PORT = 5001;
const MSL = 120e9; // RFC 9293 §3.4.2: two minutes
const IMPAIRED: ImpairmentOptions = { loss: 0.01, reorder: { probability: 0.02, delay: '2ms' }, duplicate: 0.01, corrupt: 0.01 };

interface Topology {
  net: Network;
  client: Host;
  router: Host;
  server: Host;
}

/**
 * client — sw1 — r1 — server: 100 Mbit/s LAN cables through the switch, then a 50 Mbit/s,
 * 5 ms link from the router to the server carrying `impairments` in both directions.
 * `clientMedium` replaces the client's cable (to filter frames).
 */
function topology(seed: number, impairments: ImpairmentOptions | undefined, tcp: TcpOptions = {}, clientMedium?: (net: Network) => Medium, serverTcp: TcpOptions = tcp): Topology {
  const net = new Network({ seed });
  const sw = net.addSwitch('sw1');
  const client = net.addHost('client', { gateway: '10.0.1.1', tcp });
  const router = net.addRouter('r1');
  const server = net.addHost('server', { gateway: '10.0.2.1', tcp: serverTcp });
  const lan = { bandwidth: '100Mbps', delay: '100us' };
  net.connect([client, '10.0.1.10/24'], sw, clientMedium ? { ...lan, medium: () => clientMedium(net) } : lan);
  net.connect([router, '10.0.1.1/24'], sw, lan);
  net.connect([router, '10.0.2.1/24'], [server, SERVER + '/24'], {
    bandwidth: '50Mbps',
    delay: '5ms',
    queueLimit: 1000,
    ...(impairments ? { impairments } : {}),
  });
  return { net, client, router, server };
}

function tcpOf(host: Host): TcpLayer {
  if (!(host.tcp instanceof TcpLayer)) throw new Error(`${host.name} does not run the default TCP`);
  return host.tcp;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

interface Transfer {
  received: Uint8Array;
  clientSocket: StreamSocket;
  serverSocket: StreamSocket | undefined;
  clientClose: boolean | undefined;
  serverClose: boolean | undefined;
  errors: SocketError[];
}

/** Client sends `data` and closes; the server reads to the end of the stream and closes too. */
function startTransfer({ net, client, server }: Topology, data: Uint8Array): Transfer {
  const chunks: Uint8Array[] = [];
  const result: Transfer = { received: new Uint8Array(0), clientSocket: undefined as unknown as StreamSocket, serverSocket: undefined, clientClose: undefined, serverClose: undefined, errors: [] };
  server.tcp.listen({ port: PORT }).on('connection', (socket) => {
    result.serverSocket = socket;
    socket.on('data', (chunk) => chunks.push(chunk.slice()));
    socket.on('end', () => {
      result.received = Buffer.concat(chunks);
      socket.end();
    });
    socket.on('error', (e) => result.errors.push(e));
    socket.on('close', (hadError) => (result.serverClose = hadError));
  });
  const socket = client.tcp.connect({ remoteAddress: SERVER, remotePort: PORT });
  result.clientSocket = socket;
  let offset = 0;
  const pump = (): void => {
    while (offset < data.length) {
      const end = Math.min(data.length, offset + 32 * 1024);
      const more = socket.write(data.subarray(offset, end));
      offset = end;
      if (!more) return;
    }
    socket.end();
  };
  socket.on('connect', pump);
  socket.on('drain', pump);
  socket.on('error', (e) => result.errors.push(e));
  socket.on('close', (hadError) => (result.clientClose = hadError));
  void net;
  return result;
}

/** Sum of one drop counter over every node. */
function drops(net: Network, name: string): number {
  let total = 0;
  for (const node of net.nodes.values()) total += node.context.counters.get(name);
  return total;
}

describe('TCP across switch, router and an impaired link', () => {
  for (const seed of [11, 22, 33]) {
    it(`delivers 1 MB exactly under loss, reordering, duplication and corruption (seed ${seed}), and both ends close`, () => {
      const topo = topology(seed, IMPAIRED, { rtoMin: '200ms' });
      const { net, client, server } = topo;
      const data = new Random(`full-stack:${seed}`).bytes(1 << 20);
      let corrupted = 0;
      let lost = 0;
      net.trace.on('frame', (e) => {
        if (e.action === 'lost') lost++;
        if (e.action === 'corrupted') corrupted++;
      });
      const transfer = startTransfer(topo, data);
      net.runUntilIdle();

      expect(transfer.errors).toEqual([]);
      expect(transfer.received.length).toBe(data.length);
      expect(sha256(transfer.received)).toBe(sha256(data));
      // Both ends closed cleanly: the client after its TIME-WAIT, the server on the last ACK.
      expect(transfer.clientSocket.state).toBe('CLOSED');
      expect(transfer.serverSocket?.state).toBe('CLOSED');
      expect(transfer.clientClose).toBe(false);
      expect(transfer.serverClose).toBe(false);
      expect(tcpOf(client).connections()).toEqual([]);
      expect(tcpOf(server).connections()).toEqual([]);

      // The impairments really happened, and TCP really recovered from them.
      expect(lost).toBeGreaterThan(5);
      expect(corrupted).toBeGreaterThan(5);
      const stats = (transfer.clientSocket as unknown as { stats: { retransmissions: number } }).stats;
      expect(stats.retransmissions).toBeGreaterThan(0);
      // Every corrupted frame died at the receiving NIC's FCS check (CRC-32 catches every
      // single-bit error), so IPv4 and TCP never saw a bad checksum.
      expect(drops(net, 'drop.link.bad-fcs')).toBe(corrupted);
      expect(drops(net, 'drop.network.bad-checksum')).toBe(0);
      expect(drops(net, 'drop.transport.bad-checksum')).toBe(0);
    });
  }

  it('is deterministic: the same seed gives the identical trace, another seed a different one', () => {
    const run = (seed: number): { digest: string; count: number } => {
      const topo = topology(seed, IMPAIRED, { rtoMin: '200ms' });
      const hash = createHash('sha256');
      let count = 0;
      topo.net.trace.on('event', (e: TraceEvent) => {
        hash.update(JSON.stringify(e.kind === 'frame' ? { ...e, bytes: e.bytes.length } : e));
        hash.update('\n');
        count++;
      });
      startTransfer(topo, new Random('determinism').bytes(256 * 1024));
      topo.net.runUntilIdle();
      return { digest: hash.digest('hex'), count };
    };
    const first = run(5);
    expect(first.count).toBeGreaterThan(3_000);
    expect(run(5)).toEqual(first);
    expect(run(6).digest).not.toBe(first.digest);
  });
});

describe('TIME-WAIT through the whole stack (RFC 9293 §3.4.2, §3.10.7.4)', () => {
  it('holds the connection for exactly 2*MSL of virtual time, then deletes it', () => {
    const topo = topology(1, undefined, { initialSequenceNumber: 0 });
    const { net, client } = topo;
    const states: { to: string; time: number }[] = [];
    let timerDuration: number | undefined;
    net.trace.on('state', (e) => {
      if (e.node === 'client' && e.protocol === 'tcp') states.push({ to: e.to, time: e.time });
    });
    net.trace.on('timer', (e) => {
      if (e.node === 'client' && e.timer === 'TIME-WAIT' && e.action === 'set') timerDuration = e.duration;
    });
    const transfer = startTransfer(topo, new TextEncoder().encode('hello'));
    net.runFor('1s');
    expect(new TextDecoder().decode(transfer.received)).toBe('hello');
    const entered = states.find((s) => s.to === 'TIME-WAIT');
    expect(entered).toBeDefined();
    expect(timerDuration).toBe(2 * MSL);
    const key = `10.0.1.10:${transfer.clientSocket.localPort}-${SERVER}:${PORT}`;
    expect(tcpOf(client).connection(key)?.state).toBe('TIME-WAIT');

    // One nanosecond before 2*MSL it still lingers; at 2*MSL it is gone.
    net.runUntil(entered!.time + 2 * MSL - 1);
    expect(tcpOf(client).connection(key)?.state).toBe('TIME-WAIT');
    net.runUntil(entered!.time + 2 * MSL);
    expect(tcpOf(client).connection(key)).toBeUndefined();
    expect(states.map((s) => s.to)).toEqual(['SYN-SENT', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSED']);
    expect(states.at(-1)!.time - entered!.time).toBe(2 * MSL);
    expect(transfer.clientClose).toBe(false);
  });

  it('acknowledges a retransmitted FIN in TIME-WAIT and restarts the 2*MSL timer', () => {
    // The client's cable drops the first ACK of the server's FIN (the client's last segment).
    let dropped = 0;
    const filtered = (net: Network): Medium => {
      const link = new PointToPointLink(net, { bandwidth: '100Mbps', delay: '100us', name: 'client-sw1' });
      return {
        name: link.name,
        capabilities: link.capabilities,
        attach(node, portName) {
          const port = link.attach(node, portName);
          if (node.name !== 'client') return port;
          // Drops the first pure ACK of the server's FIN before it reaches the medium.
          const drop = (frame: Uint8Array): boolean => {
            const tcp = tcpHeader(frame);
            if (tcp === undefined || dropped > 0) return false;
            const isPureAck = tcp.flags === 0x10 && tcp.payload === 0;
            const acksServerFin = tcp.ack === 1002; // server ISS 1000, no data: its FIN is 1001
            if (isPureAck && acksServerFin) dropped++;
            return isPureAck && acksServerFin;
          };
          return wrapPort(port, { transmit: (frame) => (drop(frame) ? true : port.transmit(frame)) });
        },
      };
    };
    const topo = topology(1, undefined, { initialSequenceNumber: 0 }, filtered, { initialSequenceNumber: 1000 });
    const { net } = topo;
    const clientStates: { to: string; time: number }[] = [];
    const serverStates: string[] = [];
    const finArrivals: number[] = [];
    net.trace.on('state', (e) => {
      if (e.protocol !== 'tcp') return;
      if (e.node === 'client') clientStates.push({ to: e.to, time: e.time });
      if (e.node === 'server') serverStates.push(e.to);
    });
    net.trace.on('pdu', (e) => {
      if (e.node === 'client' && e.protocol === 'tcp' && e.direction === 'up' && e.header.protocol === 'tcp' && e.header.flags.includes('FIN')) finArrivals.push(e.time);
    });
    startTransfer(topo, new Uint8Array(0));
    net.runUntilIdle();

    expect(dropped).toBe(1);
    // The server's FIN came twice: the original and the retransmission after its RTO.
    expect(finArrivals).toHaveLength(2);
    const entered = clientStates.find((s) => s.to === 'TIME-WAIT')!;
    const closed = clientStates.find((s) => s.to === 'CLOSED')!;
    expect(entered.time).toBe(finArrivals[0]);
    // §3.10.7.4 TIME-WAIT: acknowledge it and restart the 2 MSL timeout.
    expect(closed.time - finArrivals[1]!).toBe(2 * MSL);
    expect(closed.time - entered.time).toBeGreaterThan(2 * MSL);
    // The second ACK got through: the server left LAST-ACK for CLOSED.
    expect(serverStates.slice(-2)).toEqual(['LAST-ACK', 'CLOSED']);
  });
});

describe('failing connects through the whole stack', () => {
  it('gets ECONNREFUSED from the RST a closed port answers with (§3.10.7.1)', () => {
    const { net, client } = topology(1, undefined, { initialSequenceNumber: 0 });
    const resets: string[] = [];
    net.trace.on('pdu', (e) => {
      if (e.node === 'server' && e.header.protocol === 'tcp' && e.direction === 'down') resets.push(`${e.header.flags.join(',')} seq=${e.header.seq} ack=${e.header.ack}`);
    });
    const started = net.now();
    const socket = client.tcp.connect({ remoteAddress: SERVER, remotePort: 81 });
    let error: SocketError | undefined;
    let closedAt = -1;
    let hadError: boolean | undefined;
    socket.on('error', (e) => (error = e));
    socket.on('close', (h) => {
      hadError = h;
      closedAt = net.now();
    });
    net.runUntilIdle();
    expect(error).toBeInstanceOf(SocketError);
    expect(error?.code).toBe('ECONNREFUSED');
    expect(hadError).toBe(true);
    // The SYN (seq 0) had no ACK bit: the RST carries ACK = SEG.SEQ + SEG.LEN = 1 and SEQ 0.
    expect(resets).toEqual(['RST,ACK seq=0 ack=1']);
    expect(socket.state).toBe('CLOSED');
    // One round trip (plus ARP), not a timeout.
    expect(closedAt - started).toBeLessThan(50e6);
    expect(tcpOf(client).connections()).toEqual([]);
  });

  it('gives up on an unreachable host with ETIMEDOUT after 6 SYN retransmissions, backing off 1, 2, 4 ... s up to the 60 s maximum', () => {
    const { net, client, router } = topology(1, undefined);
    const syns: number[] = [];
    net.trace.on('pdu', (e) => {
      if (e.node === 'client' && e.protocol === 'tcp' && e.direction === 'down') syns.push(e.time);
    });
    const started = net.now();
    const socket = client.tcp.connect({ remoteAddress: '10.0.2.99', remotePort: PORT });
    let error: SocketError | undefined;
    let closedAt = -1;
    socket.on('error', (e) => (error = e));
    socket.on('close', () => (closedAt = net.now()));
    net.runUntilIdle();
    expect(['ETIMEDOUT', 'EHOSTUNREACH']).toContain(error?.code);
    expect(syns.map((t) => (t - started) / 1e9)).toEqual([0, 1, 3, 7, 15, 31, 63]);
    // RFC 6298 §5.5 doubles the RTO after each expiry, §2.5 allows capping it at 60 s or more:
    // the 7th timeout comes min(64, 60) s after the 6th retransmission.
    expect((closedAt - started) / 1e9).toBe(63 + 60);
    // The router could not resolve 10.0.2.99 and dropped each SYN.
    expect(router.context.counters.get('drop.link.arp-failed')).toBeGreaterThan(0);
  });

  it('fails at once with ENETUNREACH when there is no route at all', () => {
    const net = new Network({ seed: 1 });
    const sw = net.addSwitch('sw1');
    const lonely = net.addHost('lonely');
    net.connect([lonely, '10.0.1.20/24'], sw);
    const socket = lonely.tcp.connect({ remoteAddress: '192.0.2.1', remotePort: 80 });
    let error: SocketError | undefined;
    socket.on('error', (e) => (error = e));
    net.runFor('1ms');
    expect(error?.code).toBe('ENETUNREACH');
  });
});


/** The TCP header fields of an Ethernet II / IPv4 / TCP frame, or undefined for anything else. */
function tcpHeader(frame: Uint8Array): { flags: number; ack: number; payload: number } | undefined {
  if (frame.length < 54 || frame[12] !== 0x08 || frame[13] !== 0x00) return undefined;
  const ihl = (frame[14]! & 0x0f) * 4;
  if (frame[23] !== 6) return undefined;
  const totalLength = (frame[16]! << 8) | frame[17]!;
  const tcp = 14 + ihl;
  const dataOffset = (frame[tcp + 12]! >> 4) * 4;
  const ack = ((frame[tcp + 8]! << 24) | (frame[tcp + 9]! << 16) | (frame[tcp + 10]! << 8) | frame[tcp + 11]!) >>> 0;
  return { flags: frame[tcp + 13]!, ack, payload: totalLength - ihl - dataOffset };
}
