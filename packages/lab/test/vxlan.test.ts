// VXLAN (RFC 7348) between real processes and the Linux kernel. (a) Two netlayers
// processes share one layer-2 segment over loopback UDP: this one holds a switch, a router
// and a server, a child process (run with tsx) holds a switch and a host; a ping and a TCP
// transfer cross between them. (b) A Linux `vxlan` device in a network namespace the test
// creates (reached over a veth pair) joins the same kind of segment: the kernel pings our
// host, and HTTP runs both ways with matching sha256. (b) needs root; (a) needs only UDP on
// loopback.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpServer, httpGet } from '@netlayers/application';
import { Network, type Host } from '../src/index.ts';
import { NetNamespace, VxlanEndpoint, buildNativeTool, runRealtime, sh, shQuiet } from '../src/node.ts';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, '..', '..', '..', 'node_modules', '.bin', 'tsx');
const id = process.pid % 10000;
const port = 20000 + id;
const root = process.platform === 'linux' && process.getuid?.() === 0;
const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** Our half: swA with a router (10.50.0.1 | 10.60.0.1) and a server 10.60.0.10 behind it, and host 10.50.0.10. */
function halfA(net: Network, vtep: VxlanEndpoint): { server: Host; hostA: Host } {
  const sw = net.addSwitch('swA');
  const r1 = net.addRouter('r1');
  const server = net.addHost('server', { gateway: '10.60.0.1' });
  const hostA = net.addHost('hostA', { gateway: '10.50.0.1' });
  net.connect([r1, '10.50.0.1/24'], sw);
  net.connect([hostA, '10.50.0.10/24'], sw);
  net.connect([r1, '10.60.0.1/24'], [server, '10.60.0.10/24'], { bandwidth: '1Gbps', delay: '50us' });
  net.connect(sw, net.addSegment('tunnel', () => vtep, `VXLAN ${vtep.vni}`));
  return { server, hostA };
}

/** A TCP sink on `host`:9000 that resolves with each connection's byte count and sha256. */
function sink(host: Host): Promise<{ bytes: number; sha256: string }> {
  return new Promise((resolve) => {
    host.tcp.listen({ port: 9000 }).on('connection', (socket) => {
      const h = createHash('sha256');
      let bytes = 0;
      socket.on('data', (chunk) => {
        h.update(chunk);
        bytes += chunk.length;
      });
      socket.on('end', () => {
        socket.end();
        resolve({ bytes, sha256: h.digest('hex') });
      });
    });
  });
}

describe('VXLAN between two netlayers processes over loopback UDP', () => {
  it('a ping and a 4 MB TCP transfer cross from the child\'s host through our router to our server', async () => {
    const net = new Network({ seed: 1 });
    const vtep = await VxlanEndpoint.open(net, { vni: 42, address: '127.0.0.1', port, remotes: ['127.0.0.2'], name: 'vtepA' });
    try {
      const { server } = halfA(net, vtep);
      const received = sink(server);
      const config = { address: '127.0.0.2', port, remote: '127.0.0.1', vni: 42, host: '10.50.0.20/24', gateway: '10.50.0.1', target: '10.60.0.10', bytes: 4_000_000 };
      const child = run(tsx, [join(here, 'support', 'vxlan-side-b.ts'), JSON.stringify(config)]);
      const [{ code, out, err }, got] = await runRealtime(net, { until: Promise.all([child, received]), timeoutMs: 90_000 });
      expect(code, err).toBe(0);
      const b = JSON.parse(out.trim().split('\n').at(-1)!) as { ping: { ok: boolean; rttMs: number }; sha256: string; seconds: number };
      console.log(`VXLAN between processes: ping ${b.ping.rttMs.toFixed(3)} ms, 4 MB in ${b.seconds.toFixed(2)} s = ${((4e6 * 8) / b.seconds / 1e6).toFixed(0)} Mbit/s`);
      expect(b.ping.ok).toBe(true);
      expect(got).toEqual({ bytes: 4_000_000, sha256: b.sha256 });
      // Our VTEP learned the child's host (and its switch's) MAC behind 127.0.0.2.
      expect(vtep.forwardingTable().some((e) => e.address === '127.0.0.2')).toBe(true);
      expect(vtep.stats.inbound.drops).toBe(0);
      expect(vtep.counters.rejected).toBe(0);
    } finally {
      vtep.close();
    }
  }, 120_000);
});

const ns = `nlvx${id}`;
const vethRoot = `nlvxr${id}`;
const vethNs = `nlvxn${id}`;

describe.skipIf(!root && !process.env.CI)('VXLAN with a Linux vxlan device in a namespace', () => {
  let net: Network;
  let vtep: VxlanEndpoint;
  let hostA: Host;
  let kernelNs: NetNamespace | undefined;

  beforeAll(async () => {
    kernelNs = NetNamespace.create(ns);
    kernelNs.addVeth(vethNs, '10.216.0.2/30', vethRoot, undefined, '10.216.0.1/30');
    sh('ip', 'link', 'set', vethRoot, 'mtu', '1600');
    const inNs = (...args: string[]): string => sh('ip', '-n', ns, ...args);
    inNs('link', 'set', vethNs, 'mtu', '1600');
    inNs('link', 'add', 'vx0', 'type', 'vxlan', 'id', '42', 'dstport', String(port), 'remote', '10.216.0.1', 'local', '10.216.0.2', 'dev', vethNs);
    inNs('link', 'set', 'vx0', 'mtu', '1500', 'up');
    // The kernel would leave inner checksums to a NIC that a veth pair does not have.
    sh('ip', 'netns', 'exec', ns, buildNativeTool('tx-csum-off'), 'vx0');
    inNs('addr', 'add', '10.50.0.30/24', 'dev', 'vx0');
    net = new Network({ seed: 3 });
    vtep = await VxlanEndpoint.open(net, { vni: 42, address: '10.216.0.1', port, remotes: ['10.216.0.2'], name: 'vtepA' });
    ({ hostA } = halfA(net, vtep));
  });

  afterAll(() => {
    vtep?.close();
    kernelNs?.remove();
    shQuiet('ip', 'link', 'del', vethRoot); // normally gone with its peer
  });

  it('the kernel pings our host across the tunnel', async () => {
    const { code, out } = await runRealtime(net, { until: run('ip', ['netns', 'exec', ns, 'ping', '-c', '3', '-i', '0.2', '-W', '2', '10.50.0.10']), timeoutMs: 15_000 });
    expect(out).toMatch(/3 packets transmitted, 3 received/);
    expect(code).toBe(0);
    expect(vtep.forwardingTable().some((e) => e.address === '10.216.0.2')).toBe(true);
  });

  it('HTTP both ways: the kernel GETs 1 MB from our server, our client GETs 1 MB from a kernel server', async () => {
    const body = new Uint8Array(1_000_000).map((_, i) => (i * 13 + (i >>> 8)) & 0xff);
    const server = new HttpServer(hostA.tcp, { port: 80, handler: (_req, res) => res.send(200, body, 'application/octet-stream') });
    const curl = await runRealtime(net, {
      until: run('ip', ['netns', 'exec', ns, 'sh', '-c', 'curl -sS --max-time 20 http://10.50.0.10/ | sha256sum']),
      timeoutMs: 30_000,
    });
    server.close();
    expect(curl.out.split(' ')[0], curl.err).toBe(sha(body));

    const kernelServer = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', `
      const body = Buffer.alloc(1000000); for (let i = 0; i < body.length; i++) body[i] = (i * 17 + (i >>> 9)) & 0xff;
      require('http').createServer((q, r) => r.end(body)).listen(8080, '10.50.0.30', () => console.log('listening'));
    `]);
    try {
      await new Promise<void>((resolve) => kernelServer.stdout.once('data', () => resolve()));
      const response = await runRealtime(net, { until: httpGet(hostA.tcp, 'http://10.50.0.30:8080/', { timeout: '20s', node: hostA.context }), timeoutMs: 30_000 });
      const expected = new Uint8Array(1_000_000).map((_, i) => (i * 17 + (i >>> 9)) & 0xff);
      expect(response.status).toBe(200);
      expect(sha(response.body)).toBe(sha(expected));
    } finally {
      kernelServer.kill();
    }
    expect(vtep.stats.inbound.drops).toBe(0);
  }, 60_000);
});

const nsM = `nlvm${id}`;
const vethRootM = `nlvmr${id}`;
const vethNsM = `nlvmn${id}`;

describe.skipIf(!root && !process.env.CI)('VXLAN flooding by multicast group, with a Linux vxlan device', () => {
  let net: Network;
  let vtep: VxlanEndpoint;
  let host: Host;
  let kernelNs: NetNamespace | undefined;

  beforeAll(async () => {
    kernelNs = NetNamespace.create(nsM);
    kernelNs.addVeth(vethNsM, '10.220.0.2/30', vethRootM, undefined, '10.220.0.1/30');
    sh('ip', 'link', 'set', vethRootM, 'mtu', '1600');
    const inNs = (...args: string[]): string => sh('ip', '-n', nsM, ...args);
    inNs('link', 'set', vethNsM, 'mtu', '1600');
    // No remote: the kernel floods to the group, as ours does.
    inNs('link', 'add', 'vx0', 'type', 'vxlan', 'id', '44', 'dstport', String(port), 'group', '239.1.1.44', 'local', '10.220.0.2', 'dev', vethNsM);
    inNs('link', 'set', 'vx0', 'mtu', '1500', 'up');
    inNs('addr', 'add', '10.51.0.30/24', 'dev', 'vx0');
    net = new Network({ seed: 4 });
    vtep = await VxlanEndpoint.open(net, { vni: 44, address: '10.220.0.1', port, group: '239.1.1.44', name: 'vtepM' });
    host = net.addHost('hostM');
    net.connect([host, '10.51.0.10/24'], net.addSegment('tunnel', () => vtep, 'VXLAN 44'));
  });

  afterAll(() => {
    vtep?.close();
    kernelNs?.remove();
    shQuiet('ip', 'link', 'del', vethRootM); // normally gone with its peer
  });

  it('our ARP request reaches the kernel through the group, and the kernel\'s through the group reaches us', async () => {
    const reply = await runRealtime(net, { until: host.ping('10.51.0.30', { timeout: '2s' }), timeoutMs: 10_000 });
    expect(reply.ok).toBe(true);
    expect(vtep.counters.floods).toBeGreaterThanOrEqual(1);
    expect(vtep.forwardingTable().some((e) => e.address === '10.220.0.2')).toBe(true);
    // The kernel's own flood (an ARP request for an address it has not resolved) arrives via the group.
    const before = vtep.counters.packetsReceived;
    const { out } = await runRealtime(net, { until: run('ip', ['netns', 'exec', nsM, 'ping', '-c', '1', '-W', '1', '10.51.0.99']), timeoutMs: 10_000 });
    expect(out).toMatch(/1 packets transmitted/);
    expect(vtep.counters.packetsReceived).toBeGreaterThan(before);
  });
});
