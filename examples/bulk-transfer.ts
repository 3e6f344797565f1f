// Bulk transfer: 10 MB from client to server over one TCP connection (RFC 9293) across a
// point-to-point link that loses and reorders frames in both directions. Loss recovery is
// TCP's: fast retransmit and fast recovery (RFC 5681 §3.2, RFC 6582 NewReno, RFC 6675 SACK),
// retransmission timeouts (RFC 6298); the window follows the chosen congestion control
// (Reno RFC 5681, NewReno RFC 6582, CUBIC RFC 9438). Prints goodput in virtual time, the
// wall-clock time the run took, the connection's retransmission counters, a SHA-256 of what
// arrived against what was sent, and cwnd/ssthresh over time from TCP's `metric` events.
// With SACK on, loss recovery follows the SACK scoreboard (RFC 6675), so Reno and NewReno
// behave alike; --no-sack shows NewReno's partial-ACK handling (RFC 6582) at work.
// Run: npx tsx examples/bulk-transfer.ts [--cc cubic|newreno|reno] [--size 10MB] [--loss 0.01]
//      [--reorder 0.01] [--bandwidth 100Mbps] [--delay 5ms] [--seed 7] [--no-sack]

import { createHash } from 'node:crypto';
import { formatBandwidth, formatDuration, parseBandwidth, parseDuration, parseSize, InvalidArgumentError, Random, type MetricEvent } from '@netlayers/core';
import { Network } from '@netlayers/lab';
import { TcpLayer, TcpSocket, type CongestionControlName, type TcpConnectionStats } from '@netlayers/transport';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export interface BulkOptions {
  readonly cc: CongestionControlName;
  readonly size: number;
  readonly loss: number;
  readonly reorder: number;
  readonly bandwidth: string;
  readonly delay: string;
  readonly seed: number;
  readonly sack: boolean;
}

export interface CwndSample {
  /** Virtual time, ns. */
  readonly time: number;
  readonly cwnd: number;
  readonly ssthresh: number;
}

export interface BulkResult {
  readonly options: BulkOptions;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly sentDigest: string;
  readonly receivedDigest: string;
  /** Virtual ns from connect() to the last byte delivered to the server's application. */
  readonly transferTime: number;
  readonly goodputBitsPerSecond: number;
  readonly wallMilliseconds: number;
  readonly stats: Readonly<TcpConnectionStats>;
  readonly framesLost: number;
  readonly samples: readonly CwndSample[];
  readonly mss: number;
}

export const DEFAULTS: BulkOptions = { cc: 'newreno', size: 10_000_000, loss: 0.01, reorder: 0.01, bandwidth: '100Mbps', delay: '5ms', seed: 7, sack: true };

export function parseArgs(args: readonly string[]): BulkOptions {
  const value = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined) throw new InvalidArgumentError(name, v, 'needs a value');
    return v;
  };
  const cc = value('--cc') ?? DEFAULTS.cc;
  if (cc !== 'cubic' && cc !== 'newreno' && cc !== 'reno') throw new InvalidArgumentError('--cc', cc, 'must be cubic, newreno or reno');
  const probability = (name: string, fallback: number): number => {
    const v = Number(value(name) ?? fallback);
    if (!(v >= 0 && v <= 1)) throw new InvalidArgumentError(name, value(name), 'must be a probability from 0 to 1');
    return v;
  };
  const bandwidth = value('--bandwidth') ?? DEFAULTS.bandwidth;
  const delay = value('--delay') ?? DEFAULTS.delay;
  parseBandwidth(bandwidth);
  parseDuration(delay);
  const seed = Number(value('--seed') ?? DEFAULTS.seed);
  if (!Number.isInteger(seed)) throw new InvalidArgumentError('--seed', value('--seed'), 'must be an integer');
  return {
    cc,
    size: parseSize(value('--size') ?? DEFAULTS.size),
    loss: probability('--loss', DEFAULTS.loss),
    reorder: probability('--reorder', DEFAULTS.reorder),
    bandwidth,
    delay,
    seed,
    sack: !args.includes('--no-sack'),
  };
}

export function runBulkTransfer(options: BulkOptions): BulkResult {
  const wallStart = performance.now();
  const net = new Network({ seed: options.seed });
  const tcp = { congestionControl: options.cc, sack: options.sack, rtoMin: '200ms' };
  const client = net.addHost('client', { tcp });
  const server = net.addHost('server', { tcp });
  net.connect([client, '10.0.0.1/24'], [server, '10.0.0.2/24'], {
    bandwidth: options.bandwidth,
    delay: options.delay,
    queueLimit: 1000,
    impairments: { loss: options.loss, reorder: { probability: options.reorder, delay: '2ms' } },
  });

  const data = new Random(`bulk:${options.seed}`).bytes(options.size);
  const sentDigest = createHash('sha256').update(data).digest('hex');
  const received = createHash('sha256');
  let bytesReceived = 0;
  let lastByteAt = -1;
  server.tcp.listen({ port: 5001 }).on('connection', (socket) => {
    socket.on('data', (chunk) => {
      received.update(chunk);
      bytesReceived += chunk.length;
      lastByteAt = net.now();
    });
    socket.on('end', () => socket.end());
  });

  const start = net.now();
  const socket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 5001 });
  if (!(socket instanceof TcpSocket) || !(client.tcp instanceof TcpLayer)) throw new InvalidArgumentError('stream transport', client.tcp.name, 'this example reads TCP statistics: use the default TCP');
  const key = socket.connectionKey;
  const samples: CwndSample[] = [];
  const onMetric = (e: MetricEvent): void => {
    if (e.node !== 'client' || e.entity !== key) return;
    samples.push({ time: e.time, cwnd: Number(e.values['cwnd']), ssthresh: Number(e.values['ssthresh']) });
  };
  let framesLost = 0;
  net.trace.on('metric', onMetric);
  net.trace.on('frame', (e) => {
    if (e.action === 'lost') framesLost++;
  });

  let mss = 0;
  let offset = 0;
  const CHUNK = 64 * 1024;
  const pump = (): void => {
    while (offset < data.length) {
      const ok = socket.write(data.subarray(offset, offset + CHUNK));
      offset = Math.min(data.length, offset + CHUNK);
      if (!ok) return;
    }
    socket.end();
  };
  socket.on('connect', () => {
    mss = (client.tcp as TcpLayer).connection(key)?.mss ?? 0;
    pump();
  });
  socket.on('drain', pump);
  net.runUntilIdle();
  net.trace.removeAllListeners();

  const transferTime = lastByteAt - start;
  return {
    options,
    bytesSent: data.length,
    bytesReceived,
    sentDigest,
    receivedDigest: received.digest('hex'),
    transferTime,
    goodputBitsPerSecond: transferTime > 0 ? (bytesReceived * 8 * 1e9) / transferTime : 0,
    wallMilliseconds: performance.now() - wallStart,
    stats: { ...socket.stats },
    framesLost,
    samples,
    mss,
  };
}

/**
 * cwnd (and ssthresh, once finite) in segments over virtual time as a text chart: one column
 * per time slice showing the largest cwnd in it ('*'), ssthresh at the slice's end ('-').
 */
export function cwndChart(samples: readonly CwndSample[], mss: number, from: number, to: number, width = 64, height = 12): string[] {
  if (samples.length === 0 || to <= from || mss <= 0) return ['(no cwnd samples)'];
  const span = to - from;
  const cwnd: number[] = new Array<number>(width).fill(-1);
  const ssthresh: number[] = new Array<number>(width).fill(-1);
  let i = 0;
  let current = samples[0]!;
  for (let column = 0; column < width; column++) {
    const end = from + ((column + 1) * span) / width;
    let peak = current.cwnd;
    while (i < samples.length && samples[i]!.time <= end) {
      current = samples[i]!;
      peak = Math.max(peak, current.cwnd);
      i++;
    }
    cwnd[column] = peak / mss;
    ssthresh[column] = current.ssthresh >= 0x7fffffff ? -1 : current.ssthresh / mss;
  }
  const top = Math.max(1, ...cwnd);
  const rowOf = (segments: number): number => Math.round((segments / top) * (height - 1));
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  for (let column = 0; column < width; column++) {
    if (ssthresh[column]! >= 0 && ssthresh[column]! <= top) grid[height - 1 - rowOf(ssthresh[column]!)]![column] = '-';
    grid[height - 1 - rowOf(cwnd[column]!)]![column] = '*';
  }
  const label = (row: number): string => {
    const value = ((height - 1 - row) / (height - 1)) * top;
    return row === 0 || row === height - 1 || row === Math.floor(height / 2) ? value.toFixed(0).padStart(5) : '     ';
  };
  const lines = grid.map((cells, row) => `${label(row)} |${cells.join('')}`.trimEnd());
  lines.push(`      +${'-'.repeat(width)}`);
  const left = formatDuration(from);
  const right = formatDuration(to);
  lines.push(`       ${left}${right.padStart(Math.max(right.length + 1, width - left.length))}`);
  return lines;
}

export async function main(write: (line: string) => void = console.log, args: readonly string[] = process.argv.slice(2)): Promise<BulkResult> {
  const options = parseArgs(args);
  write(`Bulk transfer: ${options.size.toLocaleString('en')} bytes client → server over one TCP connection`);
  write(
    `link: ${formatBandwidth(parseBandwidth(options.bandwidth))}, ${formatDuration(parseDuration(options.delay))} one way, ` +
      `${options.loss * 100}% loss and ${options.reorder * 100}% reordering in each direction (seed ${options.seed})`,
  );
  write(`congestion control: ${options.cc}${options.sack ? ', SACK on' : ', SACK off'}`);
  const r = runBulkTransfer(options);
  write('');
  write(`arrived: ${r.bytesReceived.toLocaleString('en')} of ${r.bytesSent.toLocaleString('en')} bytes`);
  write(`SHA-256 sent:     ${r.sentDigest}`);
  write(`SHA-256 received: ${r.receivedDigest}  ${r.sentDigest === r.receivedDigest ? '(identical)' : '(DIFFERENT!)'}`);
  write(`transfer time: ${formatDuration(r.transferTime)} of virtual time; goodput ${formatBandwidth(Math.round(r.goodputBitsPerSecond))}`);
  write(`wall-clock time: ${r.wallMilliseconds.toFixed(0)} ms`);
  write('');
  write(`sender statistics (MSS ${r.mss} bytes):`);
  const s = r.stats;
  write(`  segments sent ${s.segmentsSent}, retransmissions ${s.retransmissions}, fast retransmits ${s.fastRetransmits}, timeouts ${s.timeouts}`);
  write(`  duplicate ACKs received ${s.duplicateAcks}; frames lost on the link (both directions) ${r.framesLost}`);
  write('');
  write(`cwnd over virtual time, in segments of ${r.mss} bytes (* cwnd, - ssthresh), ${r.samples.length} samples:`);
  const first = r.samples[0]?.time ?? 0;
  for (const line of cwndChart(r.samples, r.mss, first, first + r.transferTime)) write(line);
  return r;
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
