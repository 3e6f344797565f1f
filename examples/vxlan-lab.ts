// One lab spread over two netlayers processes and a Linux kernel, joined by VXLAN (RFC 7348).
//
//   this process (A)                                  child process (B, `--side b`)
//   hostA 10.50.0.10 --+                              +-- hostB 10.50.0.20
//                      swA == VXLAN 42, loopback UDP == swB
//   r1 10.50.0.1 ------+   (127.0.0.1 <-> 127.0.0.2)
//   r1 10.70.0.1 ------ VXLAN 43 over a veth pair ------ Linux vx0 10.70.0.30 (namespace)
//
// B pings hostA and the kernel (through r1) and sends hostA 10 MB over TCP; the kernel pings
// hostB (through r1 and both tunnels) and GETs a page from hostA over HTTP. Both VTEPs of A
// are captured as the outer frames (Ethernet/IPv4/UDP/VXLAN/inner) into a pcap Wireshark
// decodes. Each process's own part runs the same every time; the network between them does
// not (real UDP, real scheduling). The namespace and veth pair are removed at the end.
// Needs root. Run: sudo npx tsx examples/vxlan-lab.ts [--pcap vxlan.pcap] [--mb 10] [--port 4789]

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { HttpServer } from '@netlayers/application';
import { Network } from '@netlayers/lab';
import { NetNamespace, VxlanEndpoint, buildNativeTool, runRealtime, sh, shQuiet } from '@netlayers/lab/node';
import { capture } from '@netlayers/trace';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

const here = dirname(fileURLToPath(import.meta.url));

function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** Side B: a switch and a host, tunnelled to A; prints one JSON line, then runs until stdin closes. */
async function sideB(port: number, megabytes: number): Promise<void> {
  const net = new Network({ seed: 2 });
  const vtep = await VxlanEndpoint.open(net, { vni: 42, address: '127.0.0.2', port, remotes: ['127.0.0.1'], name: 'vtepB' });
  const sw = net.addSwitch('swB');
  const hostB = net.addHost('hostB', { gateway: '10.50.0.1' });
  net.connect([hostB, '10.50.0.20/24'], sw);
  net.connect(sw, net.addSegment('vxlan42', () => vtep, 'VXLAN 42'));
  const pingA = await runRealtime(net, { until: hostB.ping('10.50.0.10', { timeout: '3s' }), timeoutMs: 10_000 });
  const pingKernel = await runRealtime(net, { until: hostB.ping('10.70.0.30', { timeout: '3s' }), timeoutMs: 10_000 });
  const payload = new Uint8Array(megabytes * 1024 * 1024).map((_, i) => (i * 7 + (i >>> 10)) & 0xff);
  const socket = hostB.tcp.connect({ remoteAddress: '10.50.0.10', remotePort: 9000 });
  const started = process.hrtime.bigint();
  await runRealtime(net, {
    until: new Promise<void>((resolve, reject) => {
      socket.on('connect', () => socket.end(payload));
      socket.on('data', () => undefined);
      socket.on('end', () => resolve());
      socket.on('error', reject);
    }),
    timeoutMs: 120_000,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rtt = (r: { ok: boolean; rtt?: number | null }): number | null => (r.ok && typeof r.rtt === 'number' ? r.rtt / 1e6 : null);
  console.log(JSON.stringify({ pingA: rtt(pingA), pingKernel: rtt(pingKernel), bytes: payload.length, sha256: createHash('sha256').update(payload).digest('hex'), seconds }));
  // Stay on the segment (answering the kernel's pings) until A closes our stdin.
  const stdinClosed = new Promise<void>((resolve) => {
    process.stdin.on('end', resolve).on('close', resolve).resume();
  });
  await runRealtime(net, { until: stdinClosed, timeoutMs: 300_000 });
  vtep.close();
}

export async function main(write: (line: string) => void = console.log, options: { pcap?: string; megabytes?: number; port?: number } = {}): Promise<void> {
  const id = process.pid % 10000;
  const port = options.port ?? 4789;
  const megabytes = options.megabytes ?? 10;
  const ns = `nlvl${id}`;
  const vethRoot = `nlvlr${id}`;
  const vethNs = `nlvln${id}`;
  const net = new Network({ seed: 1 });
  const opened: VxlanEndpoint[] = [];
  let b: ChildProcessWithoutNullStreams | undefined;
  let kernelNs: NetNamespace | undefined;
  try {
    // The kernel peer: vx0 (VNI 43) in a namespace, its underlay a veth pair to us.
    kernelNs = NetNamespace.create(ns);
    kernelNs.addVeth(vethNs, '10.218.0.2/30', vethRoot, undefined, '10.218.0.1/30');
    sh('ip', 'link', 'set', vethRoot, 'mtu', '1600');
    sh('ip', '-n', ns, 'link', 'set', vethNs, 'mtu', '1600');
    sh('ip', '-n', ns, 'link', 'add', 'vx0', 'type', 'vxlan', 'id', '43', 'dstport', String(port), 'remote', '10.218.0.1', 'local', '10.218.0.2', 'dev', vethNs);
    sh('ip', '-n', ns, 'link', 'set', 'vx0', 'up');
    sh('ip', '-n', ns, 'addr', 'add', '10.70.0.30/24', 'dev', 'vx0');
    sh('ip', '-n', ns, 'route', 'add', '10.50.0.0/24', 'via', '10.70.0.1');
    // A veth pair has no NIC to fill in the inner checksums the vxlan driver leaves to one.
    sh('ip', 'netns', 'exec', ns, buildNativeTool('tx-csum-off'), 'vx0');

    // Our half: two VTEPs, a switch, a router and a host.
    const vx42 = await VxlanEndpoint.open(net, { vni: 42, address: '127.0.0.1', port, remotes: ['127.0.0.2'], name: 'vtep42' });
    opened.push(vx42);
    const vx43 = await VxlanEndpoint.open(net, { vni: 43, address: '10.218.0.1', port, remotes: ['10.218.0.2'], name: 'vtep43' });
    opened.push(vx43);
    const recording = options.pcap === undefined ? undefined : capture(net.trace, { iface: 'underlay', actions: ['tx', 'rx'] });
    const swA = net.addSwitch('swA');
    const r1 = net.addRouter('r1');
    const hostA = net.addHost('hostA', { gateway: '10.50.0.1' });
    net.connect([hostA, '10.50.0.10/24'], swA);
    net.connect([r1, '10.50.0.1/24'], swA);
    net.connect(swA, net.addSegment('vxlan42', () => vx42, 'VXLAN 42'));
    net.connect([r1, '10.70.0.1/24'], net.addSegment('vxlan43', () => vx43, 'VXLAN 43'));
    write(`A: hostA 10.50.0.10, r1 10.50.0.1 | 10.70.0.1; VTEPs 127.0.0.1:${port} (VNI 42) and 10.218.0.1:${port} (VNI 43)`);
    write(`kernel: vx0 10.70.0.30 (VNI 43) in namespace ${ns}`);

    const sink = new Promise<{ bytes: number; sha256: string }>((resolve) => {
      hostA.tcp.listen({ port: 9000 }).on('connection', (socket) => {
        const h = createHash('sha256');
        let n = 0;
        socket.on('data', (c) => {
          h.update(c);
          n += c.length;
        });
        socket.on('end', () => {
          socket.end();
          resolve({ bytes: n, sha256: h.digest('hex') });
        });
      });
    });
    const page = new Uint8Array(256 * 1024).map((_, i) => (i * 13) & 0xff);
    new HttpServer(hostA.tcp, { port: 80, handler: (_q, res) => res.send(200, page, 'application/octet-stream') });

    const child = spawn(join(here, '..', 'node_modules', '.bin', 'tsx'), [fileURLToPath(import.meta.url), '--side', 'b', '--port', String(port), '--mb', String(megabytes)]);
    b = child;
    let bOut = '';
    child.stdout.on('data', (d: Buffer) => (bOut += d.toString()));
    child.stderr.on('data', (d: Buffer) => (bOut += d.toString()));
    const bReport = new Promise<string>((resolve) => child.stdout.on('data', () => bOut.includes('\n') && resolve(bOut.split('\n')[0]!)));
    const [report, got] = await runRealtime(net, { until: Promise.all([bReport, sink]), timeoutMs: 180_000 });
    const r = JSON.parse(report) as { pingA: number | null; pingKernel: number | null; bytes: number; sha256: string; seconds: number };
    write(`B: ping hostA ${r.pingA?.toFixed(3)} ms, ping the kernel (via r1) ${r.pingKernel?.toFixed(3)} ms`);
    write(`B -> hostA over TCP: ${r.bytes} bytes in ${r.seconds.toFixed(2)} s (${((r.bytes * 8) / r.seconds / 1e6).toFixed(0)} Mbit/s), sha256 ${got.sha256 === r.sha256 && got.bytes === r.bytes ? 'matches' : 'DIFFERS'}`);

    const ping = await runRealtime(net, { until: run('ip', ['netns', 'exec', ns, 'ping', '-c', '3', '-i', '0.2', '10.50.0.20']), timeoutMs: 15_000 });
    write(`kernel pings hostB through r1 and both tunnels: ${/(\d+) received/.exec(ping.out)?.[1] ?? 0} of 3 replies`);
    const curl = await runRealtime(net, { until: run('ip', ['netns', 'exec', ns, 'sh', '-c', 'curl -sS --max-time 20 http://10.50.0.10/ | sha256sum']), timeoutMs: 30_000 });
    const want = createHash('sha256').update(page).digest('hex');
    write(`kernel GETs 256 KiB from hostA over HTTP: sha256 ${curl.out.split(' ')[0] === want ? 'matches' : `DIFFERS (${curl.out.trim()})`}`);
    for (const v of opened) {
      write(`${v.context.name}: sent ${v.counters.packetsSent}, received ${v.counters.packetsReceived}, flooded ${v.counters.floods}, learned ${v.forwardingTable().map((e) => `${e.mac}@${e.address}`).join(' ')}`);
    }
    if (recording !== undefined && options.pcap !== undefined) {
      recording.writeFile(options.pcap);
      write(`wrote ${recording.frames.length} outer frames to ${options.pcap} (tshark -r ${options.pcap} shows VXLAN and the inner frames)`);
    }
  } finally {
    b?.stdin.end();
    b?.kill();
    for (const v of opened) v.close();
    kernelNs?.remove();
    shQuiet('ip', 'link', 'del', vethRoot); // normally gone with its peer
  }
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  const arg = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const megabytes = Number(arg('--mb') ?? 10);
  if (arg('--side') === 'b') await sideB(Number(arg('--port')), megabytes);
  else await main(console.log, { megabytes, port: Number(arg('--port') ?? 4789), ...(arg('--pcap') !== undefined ? { pcap: arg('--pcap')! } : {}) });
}
