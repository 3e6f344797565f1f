// SYN flood measurement (RFC 4987), not a timed test: through the full stack (lab Network:
// TCP, IPv4, Ethernet, a switch), an attacker host sends 100,000 spoofed SYNs per simulated
// second to a listening server (backlog 511) for 3 simulated seconds; at 1 s a legitimate
// client connects. Prints, for SYN cookies on and off: how long (virtual time) the client
// took to connect, what the server kept, the wall-clock cost, and the heap before, during
// and after the flood. Run:
//   node --expose-gc --import tsx packages/bench/src/syn-flood.ts

import { IpProtocol, Ipv4Address, NS_PER_MS, NS_PER_S, Packet } from '@netlayers/core';
import { Network } from '@netlayers/lab';
import { emitTcpSegment, TcpFlag, TcpLayer } from '@netlayers/transport';

const RATE = 100_000; // spoofed SYNs per simulated second
const FLOOD_SECONDS = 3;
const PER_TICK = RATE / 1000; // sent every simulated millisecond

const gc = (globalThis as { gc?: () => void }).gc;
function heapMiB(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function run(synCookies: boolean): Record<string, string | number> {
  const net = new Network({ seed: 1 });
  const sw = net.addSwitch('sw');
  const server = net.addHost('server', { tcp: { synCookies } });
  const client = net.addHost('client');
  const attacker = net.addHost('attacker');
  const link = { bandwidth: '10Gbps', delay: '100us', queueLimit: 10_000 } as const;
  net.connect([server, '10.0.0.1/16'], sw, link);
  net.connect([client, '10.0.0.2/16'], sw, link);
  net.connect([attacker, '10.0.0.3/16'], sw, link);
  net.runFor('10ms');
  server.tcp.listen({ port: 80, backlog: 511 }).on('connection', () => {});
  const serverAddress = Ipv4Address.parse('10.0.0.1');
  const serverTcp = server.tcp;
  if (!(serverTcp instanceof TcpLayer)) throw new Error('expected the built-in TcpLayer');

  const heapBefore = heapMiB();
  // Spoofed sources outside the LAN (198.18.0.0/15, RFC 2544's benchmarking range): the
  // server has no route back, so its SYN,ACKs go nowhere, as towards hosts that do not exist.
  let sent = 0;
  const flood = (): void => {
    for (let i = 0; i < PER_TICK; i++, sent++) {
      const source = Ipv4Address.fromUint32((0xc6120000 + (sent % 131_072)) >>> 0);
      const packet = Packet.alloc(0, 64);
      emitTcpSegment({ sourcePort: 1024 + (sent % 64_000), destinationPort: 80, seq: Math.imul(sent, 2_654_435_761) >>> 0, ack: 0, flags: TcpFlag.SYN, window: 64_240, options: { mss: 1460 } }, null, source, serverAddress, packet);
      attacker.ip.send(packet, { destination: serverAddress, protocol: IpProtocol.TCP, source });
    }
    if (sent < RATE * FLOOD_SECONDS) net.scheduler.schedule(NS_PER_MS, flood);
  };
  flood();

  let connectMs = -1;
  let clientError = '';
  let heapDuring = 0;
  let keptDuring = 0;
  net.scheduler.schedule(NS_PER_S, () => {
    const start = net.now();
    const socket = client.tcp.connect({ remoteAddress: '10.0.0.1', remotePort: 80 });
    socket.on('connect', () => (connectMs = (net.now() - start) / NS_PER_MS));
    socket.on('error', (e) => (clientError = e.code));
  });
  net.scheduler.schedule(2 * NS_PER_S, () => {
    heapDuring = heapMiB();
    keptDuring = serverTcp.connections().length;
  });
  const wall = process.hrtime.bigint();
  net.runFor(FLOOD_SECONDS * NS_PER_S);
  const wallSeconds = Number(process.hrtime.bigint() - wall) / 1e9;
  // After: the flood is over and the half-open entries' SYN,ACK retries have run out.
  net.runFor(200 * NS_PER_S);
  const heapAfter = heapMiB();
  const counters = server.context.counters;
  return {
    synCookies: String(synCookies),
    spoofedSyns: sent,
    lostAtAttacker: attacker.context.counters.get('drop.link.queue-full'),
    clientConnectMs: connectMs < 0 ? `never (${clientError || 'still waiting'})` : connectMs.toFixed(3),
    serverConnectionsDuring: keptDuring,
    cookiesSent: counters.get('tcp.syn-cookies.sent'),
    queueFullDrops: counters.get('drop.transport.queue-full'),
    wallSecondsForFlood: wallSeconds.toFixed(2),
    heapBeforeMiB: heapBefore.toFixed(1),
    heapDuringMiB: heapDuring.toFixed(1),
    heapAfterMiB: heapAfter.toFixed(1),
  };
}

if (gc === undefined) process.stderr.write('note: run with node --expose-gc for settled heap numbers\n');
const rows = [run(true), run(false)];
const keys = Object.keys(rows[0]!);
console.log(`| ${keys.join(' | ')} |\n|${keys.map(() => '---').join('|')}|`);
for (const row of rows) console.log(`| ${keys.map((k) => row[k]).join(' | ')} |`);
