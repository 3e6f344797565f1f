// The swaps appear in every picture through their own registered dissectors: go-back-N and
// stop-and-wait (transport, IP protocols 254 and 253), PPP (the four-layer network-access
// module, link type 'ppp') and RIP (UDP port 520).

import { describe, expect, it } from 'vitest';
import { Network, type StackSpec } from '@netlayers/lab';
import { DistanceVectorRouter, GoBackNTransport, StopAndWaitTransport, networkAccess } from '@netlayers/swaps';
import { TraceRecorder } from '../src/recorder.ts';
import { buildLadder } from '../src/ladder/index.ts';
import { tcpdump } from '../src/tcpdump.ts';
import { buildLayerWalk } from '../src/layer-walk.ts';
import { encapsulation } from '../src/encapsulation.ts';
import { dissect } from '../src/dissectors.ts';

const REQUEST = 'GET / HTTP/1.0\r\n\r\n';

function arqRun(variant: 'go-back-n' | 'stop-and-wait'): TraceRecorder {
  const net = new Network({ seed: 4 });
  const recorder = new TraceRecorder().record(net.trace);
  const stream: StackSpec = { stream: (node, ip) => (variant === 'go-back-n' ? new GoBackNTransport(node, ip, { timeout: '60ms' }) : new StopAndWaitTransport(node, ip, { timeout: '60ms' })) };
  const r1 = net.addRouter('r1');
  const client = net.addHost('client', { gateway: '10.0.1.1', stack: stream });
  const server = net.addHost('server', { gateway: '10.0.2.1', stack: stream });
  net.connect([client, '10.0.1.10/24'], [r1, '10.0.1.1/24'], { delay: '1ms' });
  net.connect([r1, '10.0.2.1/24'], [server, '10.0.2.10/24'], { delay: '1ms' });
  server.tcp.listen({ port: 80 }).on('connection', (s) => {
    s.on('data', () => s.end('HTTP/1.0 200 OK\r\n\r\n'));
  });
  const socket = client.tcp.connect({ remoteAddress: '10.0.2.10', remotePort: 80 });
  socket.on('connect', () => socket.write(REQUEST));
  socket.on('data', () => socket.end());
  net.runFor('2s');
  return recorder;
}

describe.each(['go-back-n', 'stop-and-wait'] as const)('%s in every picture', (variant) => {
  const recorder = arqRun(variant);
  const events = recorder.events;

  it('ladder: named participants and endpoints, arrows that arrive', () => {
    const l = buildLadder(events);
    expect(l.participants.map((p) => p.node)).toEqual(['client', 'server']);
    expect(l.participants[1].endpoint).toBe('10.0.2.10:80');
    const arrows = l.rows.filter((r) => r.kind === 'arrow');
    expect(arrows.length).toBeGreaterThanOrEqual(4);
    expect(arrows[0]).toMatchObject({ from: 0, label: 'SYN seq=0 ack=0 len=0', lost: false, protocol: variant });
    expect(arrows.some((a) => a.kind === 'arrow' && a.from === 0 && a.label.endsWith(`len=${REQUEST.length}`))).toBe(true);
    expect(l.title).toMatch(/^(Go-back-N|Stop-and-wait) 10\.0\.1\.10:\d+ <-> 10\.0\.2\.10:80 \(4 Transport layer/);
  });

  it('tcpdump lines at the sender', () => {
    const lines = tcpdump(events, { node: 'client' });
    expect(lines.some((l) => new RegExp(`client eth0 IP 10\\.0\\.1\\.10\\.\\d+ > 10\\.0\\.2\\.10\\.80: Flags \\[S\\], seq 0, ack 0, length 0 \\(${variant}\\)`).test(l))).toBe(true);
  });

  it('layer walk through the router, with the application data', () => {
    const walk = buildLayerWalk(events)!;
    expect(walk.hops.map((h) => h.kind)).toEqual(['sender', 'router', 'receiver']);
    expect(walk.hops[0]!.lines.map((l) => l.role)).toEqual(['application', 'transport', 'network', 'link', 'physical']);
    expect(walk.hops[2]!.lines.at(-1)!.text).toContain(`${REQUEST.length} bytes "GET / HTTP/1.0`);
  });

  it('encapsulation with the right application byte count', () => {
    const frame = recorder.query().kind('frame').node('client').where((e) => e.action === 'tx' && dissect(e).payload.role === 'application' && dissect(e).payload.length > 0).first()!;
    const text = encapsulation(frame);
    expect(text).toMatch(new RegExp(`4 Transport\\s+\\| (Go-back-N|Stop-and-wait) 16 \\|\\s+data ${REQUEST.length}\\s+\\|`));
    expect(text).toContain(`around ${REQUEST.length} bytes of application data`);
  });
});

describe('PPP (four-layer network access) in every picture', () => {
  const net = new Network({ seed: 1 });
  const recorder = new TraceRecorder().record(net.trace);
  const h1 = net.addHost('h1', { gateway: '10.0.1.1' });
  const r1 = net.addRouter('r1');
  const h2 = net.addHost('h2', { gateway: '10.0.2.1' });
  const ppp = { access: networkAccess({ bandwidth: '2Mbps', delay: '5ms' }) };
  net.connect([h1, '10.0.1.10/24'], [r1, '10.0.1.1/24'], ppp);
  net.connect([r1, '10.0.2.1/24'], [h2, '10.0.2.10/24'], ppp);
  h2.udp.bind({ port: 7 });
  h1.udp.bind({ port: 5000 }).send(new TextEncoder().encode('over PPP'), 7, '10.0.2.10');
  net.runUntilIdle();
  const events = recorder.events;

  it('tcpdump, layer walk and encapsulation decode the PPP frames', () => {
    expect(tcpdump(events, { node: 'h1', linkHeaders: true }).some((l) => l.includes('10.0.1.10.5000 > 10.0.2.10.7: UDP, length 8'))).toBe(true);
    const walk = buildLayerWalk(events)!;
    expect(walk.hops.map((h) => [h.node, h.kind])).toEqual([['h1', 'sender'], ['r1', 'router'], ['h2', 'receiver']]);
    expect(walk.hops[0]!.lines.map((l) => l.role)).toEqual(['application', 'transport', 'network', 'network-access', 'physical']);
    expect(walk.hops[0]!.lines[3]!.text).toBe('adds PPP 4 B + FCS-16 2 B: PPP IPv4, length 36');
    const frame = recorder.query().kind('frame').node('h1').first()!;
    expect(frame.linkType).toBe('ppp');
    const text = encapsulation(frame, { model: 'tcpip-4' });
    expect(text).toMatch(/1 Link \(network access\)\s+\| PPP 4 \|\s+payload 36\s+\| FCS-16 2 \|/);
    expect(text).toContain('around 8 bytes of application data');
  });
});

describe('RIP in every picture', () => {
  const net = new Network({ seed: 1 });
  const recorder = new TraceRecorder().record(net.trace);
  const r1 = net.addRouter('r1');
  const r2 = net.addRouter('r2');
  net.connect([r1, '10.0.12.1/24'], [r2, '10.0.12.2/24']);
  for (const r of [r1, r2]) new DistanceVectorRouter(r.context, r.ip, r.udp).start();
  net.runFor('5s');
  const events = recorder.events;

  it('tcpdump decodes RIP responses and the encapsulation shows them in the network layer', () => {
    expect(tcpdump(events).some((l) => / r1 IP 10\.0\.12\.1\.520 > [\d.]+\.520: RIPv2, Response, length: \d+$/.test(l))).toBe(true);
    const frame = recorder.query().kind('frame').where((e) => e.action === 'tx' && dissect(e).layers.some((x) => x.protocol === 'rip')).first()!;
    const rip = dissect(frame).layers.find((x) => x.protocol === 'rip')!;
    expect(rip.summary).toMatch(/^10\.0\.12\.[12]\.520 > [\d.]+\.520: RIPv2, (request|response), \d+ routes?$/);
    expect(rip.header).toMatchObject({ protocol: 'rip', version: 2 });
    expect(encapsulation(frame)).toMatch(/RIPv2 header, \d+ bytes at frame offset 42 — 3 Network layer/);
  });
});
