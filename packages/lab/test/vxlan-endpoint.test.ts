// VxlanEndpoint's forwarding (RFC 7348 section 4, as Linux's vxlan driver): flooding to the
// static remotes, learning each remote MAC's VTEP and then unicasting to it alone, rejecting
// other VNIs and non-VXLAN datagrams with a traced drop, and the boundary's options. Three
// labs in this one process, each with its own VTEP on loopback UDP, run side by side under
// runRealtime. Needs only UDP on 127.0.0.1.

import { describe, it, expect, afterEach } from 'vitest';
import { createSocket } from 'node:dgram';
import { DropReason, type DropEvent } from '@netlayers/core';
import { Network, type Host } from '../src/index.ts';
import { VxlanEndpoint, runRealtime } from '../src/node.ts';

const base = 30000 + (process.pid % 10000) * 3;
const opened: VxlanEndpoint[] = [];

afterEach(() => {
  for (const v of opened.splice(0)) v.close();
});

async function lab(name: string, port: number, remotes: number[], options: { vni?: number; address: string }): Promise<{ net: Network; vtep: VxlanEndpoint; host: Host }> {
  const net = new Network({ seed: name });
  const vtep = await VxlanEndpoint.open(net, { vni: options.vni ?? 7, address: '127.0.0.1', port, remotes: remotes.map((p) => ({ address: '127.0.0.1', port: p })), name: `vtep-${name}` });
  opened.push(vtep);
  const sw = net.addSwitch(`sw-${name}`);
  const host = net.addHost(name);
  net.connect([host, options.address], sw);
  net.connect(sw, net.addSegment('tunnel', () => vtep));
  return { net, vtep, host };
}

/** Drive several labs in real time until `until` settles. */
function together<T>(nets: Network[], until: Promise<T>): Promise<T> {
  return Promise.all(nets.map((n) => runRealtime(n, { until, timeoutMs: 15_000 }))).then(() => until);
}

describe('VxlanEndpoint', () => {
  it('floods to every static remote, learns who is where, then unicasts to that VTEP alone', async () => {
    const a = await lab('a', base, [base + 1, base + 2], { address: '10.7.0.1/24' });
    const b = await lab('b', base + 1, [base], { address: '10.7.0.2/24' });
    const c = await lab('c', base + 2, [base], { address: '10.7.0.3/24' });
    const nets = [a.net, b.net, c.net];
    const first = await together(nets, a.host.ping('10.7.0.2', { timeout: '2s' }));
    expect(first.ok).toBe(true);
    // The ARP request was flooded to both b and c; the reply came from b only.
    expect(a.vtep.counters.floods).toBeGreaterThanOrEqual(1);
    expect(c.vtep.counters.packetsReceived).toBeGreaterThanOrEqual(1);
    const learned = a.vtep.forwardingTable().find((e) => e.port === base + 1);
    expect(learned?.address).toBe('127.0.0.1');
    const cBefore = c.vtep.counters.packetsReceived;
    const floodsBefore = a.vtep.counters.floods;
    for (let i = 0; i < 5; i++) expect((await together(nets, a.host.ping('10.7.0.2', { timeout: '2s' }))).ok).toBe(true);
    expect(c.vtep.counters.packetsReceived).toBe(cBefore);
    expect(a.vtep.counters.floods).toBe(floodsBefore);
    expect(a.vtep.stats.outbound.frames).toBeGreaterThanOrEqual(6);
    expect(a.vtep.stats.inbound.frames).toBeGreaterThanOrEqual(6);
  });

  it('drops another VNI and non-VXLAN datagrams, counted and traced on the VTEP node', async () => {
    const a = await lab('a', base, [base + 1], { address: '10.7.0.1/24' });
    const other = await lab('other', base + 1, [base], { vni: 8, address: '10.7.0.2/24' });
    const drops: DropEvent[] = [];
    a.net.trace.on('drop', (e) => {
      if (e.node === 'vtep-a') drops.push(e);
    });
    const reply = await together([a.net, other.net], other.host.ping('10.7.0.1', { timeout: '300ms' }));
    expect(reply.ok).toBe(false);
    const junk = createSocket('udp4');
    await new Promise<void>((resolve) => junk.send(Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), base, '127.0.0.1', () => resolve()));
    junk.close();
    await together([a.net], new Promise((r) => setTimeout(r, 100)));
    expect(a.vtep.counters.rejected).toBe(drops.length);
    expect(drops.some((d) => d.reason === DropReason.NotForUs && /VNI 8/.test(d.detail))).toBe(true);
    expect(drops.some((d) => d.reason === DropReason.Malformed)).toBe(true);
    expect(a.vtep.stats.inbound.frames).toBe(0);
  });

  it('applies the boundary options: an added one-way delay shows in the round trip', async () => {
    const net = new Network({ seed: 'delay' });
    const vtep = await VxlanEndpoint.open(net, { vni: 7, address: '127.0.0.1', port: base, remotes: [{ address: '127.0.0.1', port: base + 1 }], delay: '20ms', name: 'vtep-d' });
    opened.push(vtep);
    const host = net.addHost('d');
    net.connect([host, '10.7.0.1/24'], net.addSegment('tunnel', () => vtep));
    const b = await lab('b', base + 1, [base], { address: '10.7.0.2/24' });
    await together([net, b.net], host.ping('10.7.0.2', { timeout: '2s' }));
    const reply = await together([net, b.net], host.ping('10.7.0.2', { timeout: '2s' }));
    // 20 ms out and 20 ms back in, on top of the real round trip.
    expect(reply.ok && reply.rtt).toBeGreaterThanOrEqual(40e6);
    await expect(VxlanEndpoint.open(net, { vni: 1 << 24, address: '127.0.0.1' })).rejects.toThrow(/vni/);
  });

  it('applies the physical impairments in both directions: loss 1 loses every frame, traced as impairment drops', async () => {
    const net = new Network({ seed: 'loss' });
    const drops: DropEvent[] = [];
    net.trace.on('drop', (e) => drops.push(e));
    const vtep = await VxlanEndpoint.open(net, { vni: 7, address: '127.0.0.1', port: base, remotes: [{ address: '127.0.0.1', port: base + 1 }], impairments: { loss: 1 }, name: 'vtep-l' });
    opened.push(vtep);
    const host = net.addHost('l');
    net.connect([host, '10.7.0.1/24'], net.addSegment('tunnel', () => vtep));
    const b = await lab('b', base + 1, [base], { address: '10.7.0.2/24' });
    // Outbound: our ARP requests never leave.
    expect((await together([net, b.net], host.ping('10.7.0.2', { timeout: '300ms' }))).ok).toBe(false);
    expect(vtep.counters.packetsSent).toBe(0);
    // Inbound: b's ARP requests arrive at the socket but are lost before our host.
    expect((await together([net, b.net], b.host.ping('10.7.0.1', { timeout: '300ms' }))).ok).toBe(false);
    expect(vtep.counters.packetsReceived).toBeGreaterThan(0);
    expect(host.interfaces.get('eth0')!.port!.stats.rxFrames).toBe(0);
    expect(drops.length).toBeGreaterThan(vtep.counters.packetsReceived);
    expect(drops.every((d) => d.reason === DropReason.Impairment)).toBe(true);
    const { outbound, inbound } = vtep.stats;
    expect(outbound.impairmentDrops).toBeGreaterThan(0);
    expect(inbound.impairmentDrops).toBe(vtep.counters.packetsReceived);
    expect(outbound.drops + inbound.drops).toBe(drops.length);
  });
});
