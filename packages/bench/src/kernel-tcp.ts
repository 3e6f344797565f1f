// Our TCP against the Linux kernel's over a real lossy path (issue 11 "Measured"): 10 MB each
// way with sha256 compared, completion time of our sender against the kernel's sender on
// the same path. Needs root, /dev/net/tun, `ip netns` and nft (nftables); not a unit test.
//
//   emulated host 10.220.0.2 --(emulated link, 0 or 10 ms one way)-- emulated router
//     --(TAP bridge)-- router namespace 10.220.1.1, forwarding, nftables forward hook dropping
//     5% (numgen random mod 100 < 5) --(veth)-- endpoint namespace 10.220.2.2 (kernel TCP)
//
// The 5% drop is in the router's forward hook, in both directions, so it hits data and ACKs
// like loss on a wire (drops in the input or output hooks do not: output drops are re-sent by
// the kernel). The emulated side runs in real time (runRealtime). Every namespace and the TAP
// device are removed at the end, also on failure or Ctrl-C.
//
// The kernel endpoint is a python3 server that sets TCP_CONGESTION on its sockets
// (`--kernel-cc`, default cubic, Linux's usual default; a host may default to bbr, which
// would compare our CUBIC/NewReno against a different algorithm). Runs are interleaved:
// run 1 of every combination, then run 2 of every combination, and so on.
//
// Directions: 'kernel-sends' (the kernel endpoint sends to our host: our stack is the
// receiver), 'we-send' (our host sends to the kernel endpoint), and 'kernel-to-kernel' (a
// kernel sender in a third namespace, behind a second TAP on an emulated router that joins
// the same emulated path, sends to the same kernel endpoint: the same receiver and the same
// path as 'we-send', only the sender differs). Segmentation offloads must be off (ethtool)
// or the forward hook would drop 64 KB super-packets whole, which is not 5% loss on a wire.
//
//   sudo npx tsx packages/bench/src/kernel-tcp.ts [--runs 1] [--mb 10] [--delay 0,10]
//        [--profile linux,rfc] [--direction kernel-sends,we-send,kernel-to-kernel] [--loss 5]
//        [--kernel-cc cubic] [--trace DIR] [--pcap DIR] [--timeout 300000]

import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Random, type StreamSocket, type TraceEvent } from '@netlayers/core';
import { Network } from '@netlayers/lab';
import { NetNamespace, TapBridge, runRealtime, sh, shQuiet } from '@netlayers/lab/node';

type Profile = 'linux' | 'rfc';
type Direction = 'kernel-sends' | 'we-send' | 'kernel-to-kernel';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

const RUNS = Number(arg('runs', '1'));
const BYTES = Math.round(Number(arg('mb', '10')) * 1e6);
const DELAYS = arg('delay', '0,10').split(',').map(Number);
const PROFILES = arg('profile', 'linux,rfc').split(',') as Profile[];
const DIRECTIONS = arg('direction', 'kernel-sends,we-send,kernel-to-kernel').split(',') as Direction[];
const LOSS_PERCENT = Number(arg('loss', '5'));
const TIMEOUT_MS = Number(arg('timeout', '300000'));
/** Congestion control of the kernel's sockets (TCP_CONGESTION); must be in tcp_allowed_congestion_control or we must be root. */
const KERNEL_CC = arg('kernel-cc', 'cubic');
/** Directory for our host's TCP trace of every run (one JSON event a line), or '' for none. */
const TRACE_DIR = arg('trace', '');
/**
 * Directory for tcpdump captures in the router namespace, or '' for none: `<run>.pcap` on the
 * TAP (our side: our packets before the loss rule, the kernel's after it) and
 * `<run>-veth.pcap` on the veth to the kernel endpoint (the kernel's packets before the rule,
 * ours after it). A packet in one and not the other is one the rule dropped.
 */
const PCAP_DIR = arg('pcap', '');

const id = process.pid % 10000;
const NS_ROUTER = `nlbr${id}`;
const NS_KERNEL = `nlbk${id}`;
/** The kernel sender of 'kernel-to-kernel', behind its own TAP on the emulated side. */
const NS_CLIENT = `nlbc${id}`;
const TAP = `nlbt${id}`;
const TAP_CLIENT = `nlbu${id}`;
const VETH_R = `nlbvr${id}`;
const VETH_K = `nlbvk${id}`;

const inNs = (ns: string, command: string, ...args: string[]): string => sh('ip', 'netns', 'exec', ns, command, ...args);

function cleanup(): void {
  for (const ns of [NS_ROUTER, NS_KERNEL, NS_CLIENT]) shQuiet('ip', 'netns', 'del', ns);
  for (const tap of [TAP, TAP_CLIENT]) shQuiet('ip', 'link', 'del', tap); // gone with its namespace, unless not moved yet
}

/** Router and endpoint namespaces, the veth between them and the nftables loss rule. The TAP is moved in later. */
function setUpNamespaces(): void {
  const router = NetNamespace.create(NS_ROUTER);
  const kernel = NetNamespace.create(NS_KERNEL);
  router.addVeth(VETH_R, '10.220.2.1/24', VETH_K, kernel, '10.220.2.2/24');
  kernel.exec('ip', 'route', 'add', 'default', 'via', '10.220.2.1');
  router.exec('sysctl', '-qw', 'net.ipv4.ip_forward=1');
  // Segmentation offloads would hand the router 64 KB super-packets: one drop would lose
  // dozens of segments at once. Turn them off so the drop rule sees wire-sized packets.
  for (const [ns, dev] of [[NS_ROUTER, VETH_R], [NS_KERNEL, VETH_K]] as const) offloadsOff(ns, dev);
  const rules = `table inet nlb {
  chain forward {
    type filter hook forward priority 0; policy accept;
    counter
    numgen random mod 100 < ${LOSS_PERCENT} counter drop
  }
}`;
  execFileSync('ip', ['netns', 'exec', NS_ROUTER, 'nft', '-f', '-'], { input: rules, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Turn segmentation and receive offloads off (main() checks that ethtool is there). */
function offloadsOff(ns: string, dev: string): void {
  inNs(ns, 'ethtool', '-K', dev, 'tso', 'off', 'gso', 'off', 'gro', 'off');
}

function moveTap(): void {
  const router = NetNamespace.existing(NS_ROUTER);
  router.adoptLink(TAP, '10.220.1.1/24');
  router.exec('ip', 'route', 'add', '10.220.0.0/24', 'via', '10.220.1.2');
  router.exec('ip', 'route', 'add', '10.220.4.0/24', 'via', '10.220.1.2');
  offloadsOff(NS_ROUTER, TAP);
}

/** The kernel sender's namespace for 'kernel-to-kernel': its TAP joins the emulated router gw2. */
function setUpClient(): void {
  const client = NetNamespace.create(NS_CLIENT);
  client.adoptLink(TAP_CLIENT, '10.220.4.2/24');
  client.exec('ip', 'route', 'add', 'default', 'via', '10.220.4.1');
  offloadsOff(NS_CLIENT, TAP_CLIENT);
}

/** The kernel endpoint namespace's TCP counters (/proc/net/snmp and /proc/net/netstat are per namespace). */
function kernelTcpCounters(ns = NS_KERNEL): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const file of ['/proc/net/snmp', '/proc/net/netstat']) {
    const rows = inNs(ns, 'cat', file).split('\n');
    for (let i = 0; i + 1 < rows.length; i += 2) {
      const names = rows[i]!.split(' ');
      const values = rows[i + 1]!.split(' ');
      if (names[0] !== 'Tcp:' && names[0] !== 'TcpExt:') continue;
      for (let j = 1; j < names.length; j++) counters[names[j]!] = Number(values[j]);
    }
  }
  return counters;
}

/** The kernel's own loss-recovery counts over a run, for the kernel-sender rows. */
interface KernelRecovery {
  retransmissions: number;
  timeouts: number;
  tailLossProbes: number;
  spuriousUndos: number;
  /** The kernel's delayed-ACK timer expiries (TcpExt DelayedACKs): ACKs it held back, as the receiver. */
  delayedAcks: number;
}

function kernelRecoveryBetween(before: Record<string, number>, after: Record<string, number>): KernelRecovery {
  const d = (name: string): number => (after[name] ?? 0) - (before[name] ?? 0);
  return {
    retransmissions: d('RetransSegs'),
    timeouts: d('TCPTimeouts'),
    tailLossProbes: d('TCPLossProbes'),
    spuriousUndos: d('TCPFullUndo') + d('TCPPartialUndo') + d('TCPDSACKUndo') + d('TCPLossUndo') + d('TCPSpuriousRTOs'),
    delayedAcks: d('DelayedACKs'),
  };
}

/** nft counters: [packets seen by the forward hook, packets dropped]. */
function nftCounters(): [number, number] {
  const out = inNs(NS_ROUTER, 'nft', 'list', 'table', 'inet', 'nlb');
  const packets = [...out.matchAll(/counter packets (\d+)/g)].map((m) => Number(m[1]));
  return [packets[0] ?? 0, packets[1] ?? 0];
}

/** The kernel's view of the TAP device: frames it could not hand to the bridge (tx dropped) and the reverse. */
function tapKernelStats(): { txDropped: number; rxDropped: number; txPackets: number; rxPackets: number } {
  const json = JSON.parse(inNs(NS_ROUTER, 'ip', '-s', '-j', 'link', 'show', 'dev', TAP)) as { stats64: { rx: { packets: number; dropped: number }; tx: { packets: number; dropped: number } } }[];
  const s = json[0]!.stats64;
  return { txDropped: s.tx.dropped, rxDropped: s.rx.dropped, txPackets: s.tx.packets, rxPackets: s.rx.packets };
}

/**
 * A kernel TCP endpoint in the endpoint namespace: sends `bytes` on :5001, receives on :5002;
 * one JSON line per transfer. python3, because Node cannot set TCP_CONGESTION on a socket.
 */
function startKernelEndpoint(bytes: number): ChildProcessWithoutNullStreams {
  const script = `
import hashlib, json, os, socket, sys, threading, time
CC = ${JSON.stringify(KERNEL_CC)}.encode()
data = os.urandom(${bytes})
digest = hashlib.sha256(data).hexdigest()
def say(o):
    sys.stdout.write(json.dumps(o) + "\\n"); sys.stdout.flush()
def listener(port):
    l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, CC)
    l.bind(("10.220.2.2", port)); l.listen(8); return l
def cc_of(s):
    return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).split(b"\\0")[0].decode()
def sender(l):
    while True:
        s, _ = l.accept(); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, CC)
        say({"sent": digest, "cc": cc_of(s)})
        try:
            s.sendall(data); s.shutdown(socket.SHUT_WR)
            while s.recv(65536): pass
        except OSError: pass
        s.close()
def receiver(l):
    while True:
        s, _ = l.accept(); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, CC)
        h = hashlib.sha256(); n = 0; t0 = time.monotonic()
        try:
            while True:
                d = s.recv(262144)
                if not d: break
                h.update(d); n += len(d)
            ms = (time.monotonic() - t0) * 1000
            say({"received": n, "sha256": h.hexdigest(), "ms": ms, "cc": cc_of(s)}); s.close()
        except OSError as e:
            say({"error": str(e)})
a = listener(5001); b = listener(5002)
threading.Thread(target=sender, args=(a,), daemon=True).start()
say({"listening": True, "cc": cc_of(a)})
receiver(b)
`;
  return spawn('ip', ['netns', 'exec', NS_KERNEL, 'python3', '-c', script]);
}

/** The kernel sender of 'kernel-to-kernel': sends `bytes` to the endpoint's :5002, prints the data's sha256. */
function startKernelClient(bytes: number): ChildProcessWithoutNullStreams {
  const script = `
import hashlib, json, os, socket, sys
data = os.urandom(${bytes})
s = socket.socket(); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, ${JSON.stringify(KERNEL_CC)}.encode())
s.connect(("10.220.2.2", 5002))
sys.stdout.write(json.dumps({"sent": hashlib.sha256(data).hexdigest()}) + "\\n"); sys.stdout.flush()
s.sendall(data); s.shutdown(socket.SHUT_WR)
while s.recv(65536): pass
s.close()
`;
  return spawn('ip', ['netns', 'exec', NS_CLIENT, 'python3', '-c', script]);
}

function lines(child: ChildProcessWithoutNullStreams): AsyncIterableIterator<Record<string, unknown>> {
  const queue: Record<string, unknown>[] = [];
  const waiters: ((v: IteratorResult<Record<string, unknown>>) => void)[] = [];
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      const value = JSON.parse(line) as Record<string, unknown>;
      const w = waiters.shift();
      if (w) w({ value, done: false });
      else queue.push(value);
    }
  });
  return {
    next: () => new Promise((resolve) => (queue.length > 0 ? resolve({ value: queue.shift()!, done: false }) : waiters.push(resolve))),
    [Symbol.asyncIterator]() {
      return this;
    },
  } as AsyncIterableIterator<Record<string, unknown>>;
}

interface RunResult {
  direction: Direction;
  profile: Profile;
  delayMs: number;
  seconds: number;
  exact: boolean;
  forwarded: number;
  dropped: number;
  tapTxDropped: number;
  tapRxDropped: number;
  retransmissions: number;
  timeouts: number;
  spuriousUndos: number;
  tailLossProbes: number;
  /** Longest stall of this process's event loop (ms): our stack cannot answer the kernel meanwhile. */
  maxLoopDelayMs: number;
  /** The kernel endpoint's congestion control, as its socket reports it. */
  kernelCc: string;
  /** The kernel's delayed-ACK timer expiries during the run (it delays ACKs when it receives). */
  kernelDelayedAcks: number;
}

async function oneRun(direction: Direction, profile: Profile, delayMs: number, run: number): Promise<RunResult> {
  cleanup();
  setUpNamespaces();
  const net = new Network({ seed: 1 });
  const bridge = await TapBridge.open(net.scheduler, { ifname: TAP });
  const clientBridge = direction === 'kernel-to-kernel' ? await TapBridge.open(net.scheduler, { ifname: TAP_CLIENT }) : undefined;
  const endpoint = startKernelEndpoint(BYTES);
  let client: ChildProcessWithoutNullStreams | undefined;
  const captures: ChildProcessWithoutNullStreams[] = [];
  try {
    moveTap();
    if (clientBridge !== undefined) setUpClient();
    if (PCAP_DIR !== '') {
      mkdirSync(PCAP_DIR, { recursive: true });
      const base = join(PCAP_DIR, `${direction}-${profile}-${delayMs}ms-run${run + 1}`);
      for (const [dev, file] of [[TAP, `${base}.pcap`], [VETH_R, `${base}-veth.pcap`]] as const) {
        captures.push(spawn('ip', ['netns', 'exec', NS_ROUTER, 'tcpdump', '-i', dev, '-s', '128', '-U', '-w', file, 'tcp']));
      }
      await new Promise((resolve) => setTimeout(resolve, 500)); // let it attach
    }
    const out = lines(endpoint);
    const ready = (await out.next()).value as { listening?: boolean; cc?: string };
    const kernelCc = String(ready.cc);
    if (kernelCc !== KERNEL_CC) throw new Error(`kernel endpoint runs ${kernelCc}, not ${KERNEL_CC}`);
    const tcp = { profile, sendBufferSize: '1MiB', receiveBufferSize: '1MiB' } as const;
    const gw = net.addRouter('gw', { gateway: '10.220.1.1' });
    const host = net.addHost('emu', { gateway: '10.220.0.1', tcp });
    net.connect([host, '10.220.0.2/24'], [gw, '10.220.0.1/24'], { bandwidth: '1Gbps', delay: `${delayMs}ms`, queueLimit: 10_000 });
    const kernel = net.addSegment('kernel', () => bridge, 'TAP device to the Linux kernel');
    net.connect([gw, '10.220.1.2/24'], kernel);
    if (clientBridge !== undefined) {
      // The kernel sender's path: its TAP, an emulated router gw2, then a link like the emulated host's to gw.
      const gw2 = net.addRouter('gw2', { gateway: '10.220.5.1' });
      net.connect([gw2, '10.220.5.2/24'], [gw, '10.220.5.1/24'], { bandwidth: '1Gbps', delay: `${delayMs}ms`, queueLimit: 10_000 });
      net.connect([gw2, '10.220.4.1/24'], net.addSegment('client', () => clientBridge, 'TAP device to the kernel sender'));
      gw.ip.addRoute('10.220.4.0/24', '10.220.5.2');
    }
    const traced: string[] = [];
    if (TRACE_DIR !== '') {
      net.trace.on('event', (e: TraceEvent) => {
        if (e.node !== 'emu' || e.role !== 'transport') return;
        const { header: _header, ...rest } = e as TraceEvent & { header?: unknown };
        traced.push(JSON.stringify({ ...rest, ms: Number((e.time / 1e6).toFixed(3)) }));
      });
    }
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const [fwd0, drop0] = nftCounters();
    const kernel0 = kernelTcpCounters();
    const client0 = clientBridge !== undefined ? kernelTcpCounters(NS_CLIENT) : {};
    const tap0 = tapKernelStats();
    let seconds = 0;
    let exact = false;
    let socket: StreamSocket | undefined;
    if (direction === 'kernel-sends') {
      const s = host.tcp.connect({ remoteAddress: '10.220.2.2', remotePort: 5001 });
      socket = s;
      const hash = createHash('sha256');
      let got = 0;
      let t0 = 0n;
      const done = new Promise<void>((resolve, reject) => {
        s.on('connect', () => (t0 = process.hrtime.bigint()));
        s.on('data', (d: Uint8Array) => {
          hash.update(d);
          got += d.length;
        });
        s.on('end', () => {
          seconds = Number(process.hrtime.bigint() - t0) / 1e9;
          s.end();
          resolve();
        });
        s.on('error', reject);
      });
      await runRealtime(net.scheduler, { until: done, timeoutMs: TIMEOUT_MS });
      const sent = (await out.next()).value as { sent: string };
      exact = got === BYTES && hash.digest('hex') === sent.sent;
    } else if (direction === 'kernel-to-kernel') {
      const started = startKernelClient(BYTES);
      client = started;
      const fromClient = lines(started);
      const report = runRealtime(net.scheduler, { until: Promise.all([out.next(), fromClient.next()]), timeoutMs: TIMEOUT_MS });
      const [r, c] = (await report).map((x) => x.value) as [{ received: number; sha256: string; ms: number }, { sent: string }];
      seconds = r.ms / 1000;
      exact = r.received === BYTES && r.sha256 === c.sent;
    } else {
      const s = host.tcp.connect({ remoteAddress: '10.220.2.2', remotePort: 5002 });
      socket = s;
      const data = new Random('kernel-bench').bytes(BYTES);
      const digest = createHash('sha256').update(data).digest('hex');
      let offset = 0;
      const pump = (): void => {
        while (offset < data.length) {
          const end = Math.min(data.length, offset + 256 * 1024);
          const more = s.write(data.subarray(offset, end));
          offset = end;
          if (!more) return;
        }
        s.end();
      };
      s.on('connect', pump);
      s.on('drain', pump);
      const report = runRealtime(net.scheduler, { until: out.next(), timeoutMs: TIMEOUT_MS });
      const r = (await report).value as { received: number; sha256: string; ms: number };
      seconds = r.ms / 1000;
      exact = r.received === BYTES && r.sha256 === digest;
    }
    const [fwd1, drop1] = nftCounters();
    const kernelRecovery = kernelRecoveryBetween(kernel0, kernelTcpCounters());
    const clientRecovery = clientBridge !== undefined ? kernelRecoveryBetween(client0, kernelTcpCounters(NS_CLIENT)) : undefined;
    const tap1 = tapKernelStats();
    loop.disable();
    if (TRACE_DIR !== '') {
      mkdirSync(TRACE_DIR, { recursive: true });
      writeFileSync(join(TRACE_DIR, `${direction}-${profile}-${delayMs}ms-run${run + 1}.jsonl`), traced.join('\n') + '\n');
    }
    // The sender's recovery counts: ours when we send, the kernel's (its namespace's counters) when it does.
    const stats = direction === 'we-send' ? (socket as unknown as { stats: Omit<KernelRecovery, 'delayedAcks'> }).stats : (clientRecovery ?? kernelRecovery);
    return {
      direction,
      profile,
      delayMs,
      seconds,
      exact,
      forwarded: fwd1 - fwd0,
      dropped: drop1 - drop0,
      tapTxDropped: tap1.txDropped - tap0.txDropped,
      tapRxDropped: tap1.rxDropped - tap0.rxDropped,
      retransmissions: stats.retransmissions,
      timeouts: stats.timeouts,
      spuriousUndos: stats.spuriousUndos,
      tailLossProbes: stats.tailLossProbes,
      maxLoopDelayMs: loop.max / 1e6,
      kernelCc,
      kernelDelayedAcks: kernelRecovery.delayedAcks,
    };
  } finally {
    for (const tcpdump of captures) {
      tcpdump.kill('SIGINT');
      await new Promise((resolve) => tcpdump.once('exit', resolve));
    }
    client?.kill();
    endpoint.kill();
    bridge.close();
    clientBridge?.close();
    cleanup();
  }
}

const SENDER: Record<Direction, string> = { 'kernel-sends': 'kernel → ours', 'we-send': 'ours → kernel', 'kernel-to-kernel': 'kernel → kernel' };

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function main(): Promise<void> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !existsSync('/dev/net/tun')) {
    console.log('kernel-tcp: needs Linux, root and /dev/net/tun; skipped');
    return;
  }
  try {
    sh('nft', '--version');
  } catch {
    console.log('kernel-tcp: needs nft (apt-get install nftables); skipped');
    return;
  }
  try {
    sh('ethtool', '--version');
  } catch {
    // Without it the veths keep TSO/GSO: the forward hook then drops 64 KB super-packets of the
    // kernel's whole, fewer and larger loss events than 5% loss on a wire (the kernel sender
    // looked up to 4x faster than it is for that reason alone).
    console.log('kernel-tcp: needs ethtool to turn segmentation offloads off (apt-get install ethtool); skipped');
    return;
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
  try {
    sh('python3', '--version');
  } catch {
    console.log('kernel-tcp: needs python3 for the kernel endpoint (TCP_CONGESTION); skipped');
    return;
  }
  console.log(`kernel-tcp: ${BYTES / 1e6} MB per transfer, ${LOSS_PERCENT}% forward-hook loss, kernel CC ${KERNEL_CC}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, Linux ${os.release()}, Node ${process.version}`);
  const results: RunResult[] = [];
  for (let run = 0; run < RUNS; run++) {
    for (const delayMs of DELAYS) {
      for (const profile of PROFILES) {
        for (const direction of DIRECTIONS) {
          // The kernel-to-kernel row does not depend on our profile: once per delay.
          if (direction === 'kernel-to-kernel' && profile !== PROFILES[0]) continue;
          const r = await oneRun(direction, profile, delayMs, run);
          results.push(r);
          console.log(JSON.stringify(r));
        }
      }
    }
  }
  console.log('\n| delay | our profile | sender → receiver | median s | min–max s | runs (s) | exact | forward-hook drops | TAP drops (kernel tx/rx) | sender retx / RTOs / undos / TLPs | kernel receiver DelayedACKs | max loop stall ms |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const delayMs of DELAYS) {
    for (const profile of PROFILES) {
      for (const direction of DIRECTIONS) {
        const rs = results.filter((r) => r.delayMs === delayMs && r.profile === profile && r.direction === direction);
        if (rs.length === 0) continue;
        const drops = rs.reduce((n, r) => n + r.dropped, 0);
        const fwd = rs.reduce((n, r) => n + r.forwarded, 0);
        console.log(
          `| ${delayMs} ms | ${direction === 'kernel-to-kernel' ? '—' : profile} | ${SENDER[direction]} | ${median(rs.map((r) => r.seconds)).toFixed(2)} | ${Math.min(...rs.map((r) => r.seconds)).toFixed(2)}–${Math.max(...rs.map((r) => r.seconds)).toFixed(2)} | ${rs.map((r) => r.seconds.toFixed(2)).join(', ')} | ${rs.every((r) => r.exact) ? 'yes' : 'NO'} | ${drops} of ${fwd} (${((100 * drops) / Math.max(1, fwd)).toFixed(1)}%) | ${rs.reduce((n, r) => n + r.tapTxDropped, 0)}/${rs.reduce((n, r) => n + r.tapRxDropped, 0)} | ${rs.reduce((n, r) => n + r.retransmissions, 0)} / ${rs.reduce((n, r) => n + r.timeouts, 0)} / ${rs.reduce((n, r) => n + r.spuriousUndos, 0)} / ${rs.reduce((n, r) => n + r.tailLossProbes, 0)} | ${direction === 'kernel-sends' ? '—' : rs.reduce((n, r) => n + r.kernelDelayedAcks, 0)} | ${Math.max(...rs.map((r) => r.maxLoopDelayMs)).toFixed(0)} |`,
        );
      }
    }
  }
  // Ratios of medians: our sender against each kernel sender (same receiver: kernel → kernel).
  const med = (d: number, p: Profile | undefined, dir: Direction): number | undefined => {
    const rs = results.filter((r) => r.delayMs === d && r.direction === dir && (p === undefined || r.profile === p));
    return rs.length === 0 ? undefined : median(rs.map((r) => r.seconds));
  };
  for (const delayMs of DELAYS) {
    for (const profile of PROFILES) {
      const ours = med(delayMs, profile, 'we-send');
      if (ours === undefined) continue;
      const k2k = med(delayMs, undefined, 'kernel-to-kernel');
      const k2o = med(delayMs, profile, 'kernel-sends');
      const parts = [k2k !== undefined ? `${(ours / k2k).toFixed(2)}x kernel → kernel` : '', k2o !== undefined ? `${(ours / k2o).toFixed(2)}x kernel → ours` : ''].filter((x) => x !== '');
      if (parts.length > 0) console.log(`${delayMs} ms, ${profile}: ours → kernel takes ${parts.join(', ')}`);
    }
  }
  if (!results.every((r) => r.exact)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  cleanup();
  console.error(e);
  process.exit(1);
});
