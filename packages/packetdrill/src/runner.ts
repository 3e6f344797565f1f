// The packetdrill runner: executes a parsed script in virtual time against a stack built by
// a StackFactory. The script drives the local stack through system calls; the runner plays
// the remote side at the IP boundary, injecting `<` packets (with real checksums) and
// checking every packet the stack sends against the `>` lines — flags, relative sequence
// numbers, ack, win, options, and the time it left within the tolerance. It stops at the
// first mismatch, missing packet, unexpected packet or wrong system-call result.

import { createNodeContext, createSimulationContext, IpProtocol, Ipv4Address, NS_PER_S, NS_PER_US, type SimulationContext } from '@netlayers/core';
import type { IcmpPacketSpec, Script, ScriptEvent, SyscallEvent, TcpPacketSpec, TimePoint } from './ast.ts';
import { ERRNO } from './errno.ts';
import { formatNs, scriptSyntax, tcpdumpLine } from './format.ts';
import { tcpMismatches, tsVal } from './match.ts';
import { parseScript } from './parser.ts';
import { ScriptIp, type Outbound } from './script-ip.ts';
import { SocketTable, DEFAULT_LOCAL_PORT, REMOTE_CLIENT_PORT, type Outcome } from './sockets.ts';
import { RUNNER_OPTIONS, type StackFactory } from './stack.ts';
import { inboundIcmp, inboundTcp, ICMP_UNREACHABLE_CODES } from './inbound.ts';
import { emitUdp, parseTcp, parseUdp } from './wire.ts';

export interface RunOptions {
  /** Builds the stack under test (see `netlayersTcp` in '@netlayers/packetdrill/netlayers'). */
  readonly stack: StackFactory;
  /** Name used in messages ("scripts/x.pkt"). */
  readonly file?: string;
  /** Simulation seed (the stack's ISNs, ports and TS offsets come from it). */
  readonly seed?: number;
  /** Overrides the script's --tolerance_usecs. */
  readonly toleranceUsecs?: number;
}

export type FailureKind = 'parse' | 'unsupported' | 'packet' | 'missing' | 'unexpected' | 'timing' | 'syscall' | 'stack';

export interface PacketdrillFailure {
  readonly kind: FailureKind;
  /** Script line (0 for the script as a whole). */
  readonly line: number;
  /** The first line of the message, without the file:line prefix. */
  readonly headline: string;
  /** The whole message: "file:line: headline" then indented details. */
  readonly message: string;
}

export interface RunResult {
  readonly ok: boolean;
  readonly file: string;
  readonly failure: PacketdrillFailure | undefined;
  /** Events executed (all of them when ok). */
  readonly eventsRun: number;
  /** Virtual time at the end, in ns. */
  readonly virtualTime: number;
}

/** packetdrill's default timing tolerance. */
export const DEFAULT_TOLERANCE_USECS = 4000;
/** Scheduler events the runner lets the stack run while waiting for one script line. */
const MAX_STEPS_PER_EVENT = 1_000_000;
/** Packets of history shown with a failure. */
const HISTORY = 6;
export const DEFAULT_LOCAL_IP = '192.168.0.1';
export const DEFAULT_REMOTE_IP = '192.0.2.1';

class Stop {
  constructor(readonly failure: PacketdrillFailure) {}
}

interface Blocked {
  readonly event: ScriptEvent & SyscallEvent;
  readonly end: number;
  readonly retry: () => Outcome | undefined;
  done: { outcome: Outcome; time: number } | undefined;
}

/** Parse and run a script's text. Never throws for script or stack problems. */
export function runPacketdrillScript(source: string, options: RunOptions): RunResult {
  const file = options.file ?? '<script>';
  const parsed = parseScript(source);
  if (parsed.script === undefined) {
    const d = parsed.diagnostics[0]!;
    const more = parsed.diagnostics.length > 1 ? `\n  (${parsed.diagnostics.length - 1} more problem(s): ${parsed.diagnostics.slice(1).map((x) => `line ${x.line}: ${x.message}`).join('; ')})` : '';
    const failure: PacketdrillFailure = {
      kind: d.unsupported ? 'unsupported' : 'parse',
      line: d.line,
      headline: d.message,
      message: `${file}:${d.line}:${d.column}: ${d.message}\n  script: ${source.split('\n')[d.line - 1]?.trim() ?? ''}${more}`,
    };
    return { ok: false, file, failure, eventsRun: 0, virtualTime: 0 };
  }
  try {
    return new Run(parsed.script, file, options).execute();
  } catch (error) {
    // Run reports every script and stack problem itself; this is a last guard for the promise above.
    const headline = `internal runner error: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, file, failure: { kind: 'stack', line: 0, headline, message: `${file}: ${headline}` }, eventsRun: 0, virtualTime: 0 };
  }
}

class Run {
  private readonly tolerance: number;
  private readonly local: Ipv4Address;
  private readonly remote: Ipv4Address;
  private readonly sim: SimulationContext;
  private readonly ip: ScriptIp;
  private consumed = 0;
  private lastTime = 0;
  private localIsn: number | undefined;
  private tsOffset: number | undefined;
  private conn = { localPort: DEFAULT_LOCAL_PORT, remotePort: REMOTE_CLIENT_PORT };
  private readonly blocked: Blocked[] = [];
  private waking = false;
  private wakeAgain = false;
  private eventsRun = 0;
  /** The last packets exchanged, for failure messages ("0.100000 < . 1:1(0) ack 1 win 257"). */
  private readonly history: string[] = [];
  private current: ScriptEvent | undefined;

  constructor(
    private readonly script: Script,
    private readonly file: string,
    private readonly options: RunOptions,
  ) {
    const o = script.options;
    this.tolerance = (options.toleranceUsecs ?? Number(o.get('tolerance_usecs') ?? DEFAULT_TOLERANCE_USECS)) * NS_PER_US;
    // Bad values are reported by checkOptions(); meanwhile the defaults stand in.
    const address = (key: string, fallback: string): Ipv4Address => {
      const parsed = Ipv4Address.tryParse(o.get(key) ?? fallback);
      return typeof parsed === 'string' ? Ipv4Address.parse(fallback) : parsed;
    };
    this.local = address('local_ip', DEFAULT_LOCAL_IP);
    this.remote = address('remote_ip', DEFAULT_REMOTE_IP);
    this.sim = createSimulationContext(options.seed ?? 1);
    const mtu = Number(o.get('mtu') ?? 1500);
    this.ip = new ScriptIp(this.local, () => this.sim.scheduler.now(), Number.isInteger(mtu) ? mtu : 1500);
  }

  execute(): RunResult {
    try {
      this.checkOptions();
      const stackOptions = new Map([...this.script.options].filter(([k]) => !RUNNER_OPTIONS.has(k)));
      const built = this.options.stack({ node: createNodeContext(this.sim, 'local'), ip: this.ip, localAddress: this.local }, stackOptions);
      if (typeof built !== 'string' && stackOptions.size > 0 && this.options.stack.length < 2) {
        throw this.stop('unsupported', 0, `unsupported: option --${[...stackOptions.keys()][0]} (this stack takes no options)`, []);
      }
      if (typeof built === 'string') throw this.stop('unsupported', 0, `unsupported: ${built}`, []);
      const table = new SocketTable({
        stack: built,
        local: this.local,
        remote: this.remote,
        setConnection: (localPort, remotePort) => {
          this.conn = { localPort, remotePort };
        },
        wake: () => this.wake(),
      });
      const events = this.script.events;
      events.forEach((event, i) => {
        this.current = event;
        this.runEvent(event, table, i === events.length - 1);
        this.eventsRun++;
      });
      this.finish(events[events.length - 1]);
      return { ok: true, file: this.file, failure: undefined, eventsRun: this.eventsRun, virtualTime: this.sim.scheduler.now() };
    } catch (error) {
      const failure =
        error instanceof Stop
          ? error.failure
          : this.failure('stack', this.current?.location.line ?? 0, `the stack under test threw: ${error instanceof Error ? error.message : String(error)}`, error instanceof Error && error.stack ? [error.stack.split('\n').slice(0, 4).join('\n    ')] : []);
      return { ok: false, file: this.file, failure, eventsRun: this.eventsRun, virtualTime: this.sim.scheduler.now() };
    }
  }

  private checkOptions(): void {
    const tick = this.script.options.get('tcp_ts_tick_usecs');
    if (tick !== undefined && !/^[1-9]\d*$/.test(tick)) throw this.stop('parse', 0, `--tcp_ts_tick_usecs=${tick}: expected microseconds per TS tick`, []);
    const t = this.script.options.get('tolerance_usecs');
    if (t !== undefined && !/^\d+$/.test(t)) throw this.stop('parse', 0, `--tolerance_usecs=${t}: expected microseconds`, []);
    const mtu = this.script.options.get('mtu');
    if (mtu !== undefined && (!/^\d+$/.test(mtu) || Number(mtu) < 68 || Number(mtu) > 65535)) throw this.stop('parse', 0, `--mtu=${mtu}: expected an MTU from 68 to 65535 bytes`, []);
    for (const key of ['local_ip', 'remote_ip']) {
      const v = this.script.options.get(key);
      if (v !== undefined && typeof Ipv4Address.tryParse(v) === 'string') throw this.stop('parse', 0, `--${key}=${v}: expected an IPv4 address`, []);
    }
  }

  // ---- time ------------------------------------------------------------------------

  private toNs(p: TimePoint, base: number): number {
    return (p.relative ? base : 0) + p.usecs * NS_PER_US;
  }

  /** When the event should happen: [lo, hi] with the tolerance, and the nominal time. */
  private window(event: ScriptEvent): { lo: number; hi: number; at: number } {
    const t = event.time;
    const base = this.lastTime;
    if (t.kind === 'any') return { lo: 0, hi: Number.POSITIVE_INFINITY, at: this.sim.scheduler.now() };
    if (t.kind === 'range') {
      const from = this.toNs(t.from, base);
      const to = this.toNs(t.to, base);
      return { lo: from - this.tolerance, hi: to + this.tolerance, at: from };
    }
    const at = this.toNs(t.at, base);
    return { lo: at - this.tolerance, hi: at + this.tolerance, at };
  }

  /** Run virtual time to `t`; a packet the stack sent meanwhile that no line expects is a failure. */
  private advanceTo(t: number, event: ScriptEvent): void {
    const scheduler = this.sim.scheduler;
    let steps = 0;
    for (let next = scheduler.nextEventTime(); next !== undefined && next <= t; next = scheduler.nextEventTime()) {
      scheduler.step();
      this.guard(++steps, event);
    }
    if (t > scheduler.now()) scheduler.runUntil(t);
    this.checkBlocked(event);
    if (this.ip.outbound.length > this.consumed) this.unexpected(event);
  }

  // ---- events ----------------------------------------------------------------------

  private runEvent(event: ScriptEvent, table: SocketTable, last: boolean): void {
    if (event.type === 'packet' && event.direction === '>') {
      this.expectOutbound(event);
      if (last && this.ip.outbound.length > this.consumed) this.unexpected(event);
      return;
    }
    const w = this.window(event);
    this.advanceTo(Math.max(w.at, this.sim.scheduler.now()), event);
    this.lastTime = this.sim.scheduler.now();
    if (event.type === 'packet') this.inject(event);
    else this.syscall(event, table);
  }

  private finish(last: ScriptEvent | undefined): void {
    // Let blocking calls still outstanding reach their deadlines.
    const deadline = Math.max(0, ...this.blocked.map((b) => b.end + this.tolerance));
    if (deadline > this.sim.scheduler.now()) this.sim.scheduler.runUntil(deadline);
    if (last !== undefined) this.checkBlocked(last, true);
  }

  // ---- outbound --------------------------------------------------------------------

  /** Run the scheduler until the stack sends something or `limit` passes. */
  private waitForPacket(limit: number, event: ScriptEvent): Outbound | undefined {
    const scheduler = this.sim.scheduler;
    let steps = 0;
    while (this.ip.outbound.length === this.consumed) {
      const next = scheduler.nextEventTime();
      if (next === undefined || next > limit) {
        if (Number.isFinite(limit) && limit > scheduler.now()) scheduler.runUntil(limit);
        break;
      }
      scheduler.step();
      this.guard(++steps, event);
    }
    return this.ip.outbound[this.consumed];
  }

  private expectOutbound(event: ScriptEvent & { type: 'packet' }): void {
    const w = this.window(event);
    const now = this.sim.scheduler.now();
    const hi = Number.isFinite(w.hi) ? w.hi : now + 24 * 3600 * NS_PER_S;
    let packet = this.waitForPacket(hi, event);
    const expectedAt = event.time.kind === 'any' ? 'any time' : `${formatNs(w.at)} (tolerance ±${formatNs(this.tolerance)})`;
    if (packet === undefined) {
      // Look further, to say when (if ever) the stack did send.
      packet = this.waitForPacket(hi + 600 * NS_PER_S, event);
      if (packet === undefined) {
        throw this.stop('missing', event.location.line, `missing outbound packet: the stack sent nothing by ${formatNs(hi)} (nor in the 600 s after)`, [`script: ${event.text}`, `expected at ${expectedAt}`]);
      }
      throw this.stop('timing', event.location.line, `outbound packet sent too late: expected at ${expectedAt}, actual ${formatNs(packet.time)}`, [`script: ${event.text}`, ...this.describe(packet)]);
    }
    if (packet.time < w.lo) {
      throw this.stop('timing', event.location.line, `outbound packet sent too early: expected at ${expectedAt}, actual ${formatNs(packet.time)}`, [`script: ${event.text}`, ...this.describe(packet)]);
    }
    const spec = event.packet;
    const wrong = spec.protocol === 'tcp' ? this.matchTcp(spec, packet) : spec.protocol === 'udp' ? this.matchUdp(spec.length, packet) : this.matchIcmp(spec, packet);
    if (wrong.length > 0) {
      throw this.stop('packet', event.location.line, `outbound packet does not match the script: ${wrong[0]}`, [
        `script: ${event.text}`,
        `expected at ${expectedAt}`,
        ...this.describe(packet),
        ...(wrong.length > 1 ? [`also wrong: ${wrong.slice(1).join('; ')}`] : []),
      ]);
    }
    this.consumed++;
    this.remember(packet.time, `> ${this.describe(packet)[0]!.replace(/^actual at [\d.]+: > /, '')}`);
    this.lastTime = packet.time;
    this.checkBlocked(event);
  }

  private matchTcp(spec: TcpPacketSpec, packet: Outbound): string[] {
    if (packet.protocol !== IpProtocol.TCP) return [`protocol: expected TCP, actual ${packet.protocol === IpProtocol.UDP ? 'UDP' : packet.protocol === IpProtocol.ICMP ? 'ICMP' : packet.protocol}`];
    const seg = parseTcp(packet.bytes, packet.source, packet.destination);
    if (typeof seg === 'string') return [`the stack sent an invalid TCP segment: ${seg}`];
    // packetdrill's conventions: the local ISN is learned from the stack's SYN; the TS clock offset from its first TS val.
    if (seg.flags & 0x02 && spec.flags.includes('S')) this.localIsn = (seg.seq - spec.seqStart) >>> 0;
    const val = tsVal(seg);
    const scriptTs = Array.isArray(spec.options) ? spec.options.find((o) => o.kind === 'TS') : undefined;
    if (this.tsOffset === undefined && val !== undefined && scriptTs?.kind === 'TS') this.tsOffset = (val - scriptTs.val) >>> 0;
    const wrong = tcpMismatches(spec, seg, { localIsn: this.localIsn ?? 0, localPort: this.conn.localPort, remotePort: this.conn.remotePort });
    // With --tcp_ts_tick_usecs, TS val is checked too: it must have advanced as the script's did, within the tolerance.
    const tick = Number(this.script.options.get('tcp_ts_tick_usecs') ?? 0);
    if (tick > 0 && val !== undefined && scriptTs?.kind === 'TS' && this.tsOffset !== undefined) {
      const actual = (val - this.tsOffset) >>> 0;
      const slack = Math.ceil(this.tolerance / NS_PER_US / tick) + 1;
      if (Math.abs((actual - scriptTs.val) | 0) > slack) wrong.push(`TS val: expected ${scriptTs.val} (±${slack} ticks of ${tick} µs), actual ${actual}`);
    }
    return wrong;
  }

  private matchUdp(length: number, packet: Outbound): string[] {
    if (packet.protocol !== IpProtocol.UDP) return [`protocol: expected UDP, actual ${packet.protocol === IpProtocol.TCP ? 'TCP' : packet.protocol}`];
    const d = parseUdp(packet.bytes, packet.source, packet.destination);
    if (typeof d === 'string') return [`the stack sent an invalid UDP datagram: ${d}`];
    const wrong: string[] = [];
    if (d.payload.length !== length) wrong.push(`UDP payload length: expected ${length}, actual ${d.payload.length}`);
    if (d.sourcePort !== this.conn.localPort || d.destinationPort !== this.conn.remotePort) wrong.push(`ports: expected ${this.conn.localPort} > ${this.conn.remotePort}, actual ${d.sourcePort} > ${d.destinationPort}`);
    return wrong;
  }

  private matchIcmp(spec: IcmpPacketSpec, packet: Outbound): string[] {
    if (packet.protocol !== IpProtocol.ICMP || packet.icmpUnreachableCode === undefined) return [`protocol: expected ICMP, actual ${packet.protocol === IpProtocol.TCP ? 'TCP' : packet.protocol}`];
    if (spec.type !== 'unreachable') return [`ICMP type: expected ${spec.type}, actual unreachable`];
    const code = spec.code === undefined ? undefined : ICMP_UNREACHABLE_CODES[spec.code];
    if (spec.code !== undefined && code === undefined) return [`unknown ICMP unreachable code '${spec.code}'`];
    if (code !== undefined && code !== packet.icmpUnreachableCode) return [`ICMP code: expected ${spec.code}, actual ${packet.icmpUnreachableCode}`];
    return [];
  }

  /** The actual packet, in script syntax and as tcpdump prints it, with its time. */
  private describe(packet: Outbound): string[] {
    if (packet.protocol === IpProtocol.TCP) {
      const seg = parseTcp(packet.bytes, packet.source, packet.destination);
      if (typeof seg === 'string') return [`actual at ${formatNs(packet.time)}: invalid TCP segment (${seg})`];
      // Before the ISN is known, a SYN is shown relative to itself (0:0), as the script would write it.
      const base = this.localIsn ?? (seg.flags & 0x02 ? seg.seq : 0);
      return [`actual at ${formatNs(packet.time)}: > ${scriptSyntax(seg, base, 0, 0, this.tsOffset ?? 0)}`, `tcpdump: ${formatNs(packet.time)} ${tcpdumpLine(seg, packet.source, packet.destination)}`];
    }
    if (packet.protocol === IpProtocol.UDP) {
      const d = parseUdp(packet.bytes, packet.source, packet.destination);
      const len = typeof d === 'string' ? `invalid: ${d}` : `${d.payload.length}`;
      return [`actual at ${formatNs(packet.time)}: > udp (${len})`, `tcpdump: ${formatNs(packet.time)} IP ${packet.source} > ${packet.destination}: UDP, length ${len}`];
    }
    return [`actual at ${formatNs(packet.time)}: > icmp unreachable code ${packet.icmpUnreachableCode ?? '?'}`, `tcpdump: ${formatNs(packet.time)} IP ${packet.source} > ${packet.destination}: ICMP unreachable`];
  }

  private unexpected(event: ScriptEvent): never {
    const packet = this.ip.outbound[this.consumed]!;
    throw this.stop('unexpected', event.location.line, `unexpected outbound packet at ${formatNs(packet.time)} (no '>' line expects it before this line)`, [`script: ${event.text}`, ...this.describe(packet)]);
  }

  // ---- inbound ---------------------------------------------------------------------

  private inject(event: ScriptEvent & { type: 'packet' }): void {
    const spec = event.packet;
    const line = event.location.line;
    const ctx = { local: this.local, remote: this.remote, ...this.conn, localIsn: this.localIsn, tsOffset: this.tsOffset };
    if (spec.protocol === 'udp') {
      if (!this.ip.deliver(IpProtocol.UDP, emitUdp(this.conn.remotePort, this.conn.localPort, new Uint8Array(spec.length), this.remote, this.local), this.remote)) {
        throw this.stop('unsupported', line, 'unsupported: inbound UDP (the stack under test registered no UDP handler)', [`script: ${event.text}`]);
      }
    } else if (spec.protocol === 'icmp') {
      const report = inboundIcmp(spec, ctx);
      if (typeof report === 'string') throw this.stop('unsupported', line, report, [`script: ${event.text}`]);
      if (!this.ip.deliverIcmp(report)) throw this.stop('unsupported', line, 'unsupported: inbound ICMP (the stack under test registered no ICMP error handler for TCP)', [`script: ${event.text}`]);
    } else {
      const bytes = inboundTcp(spec, ctx);
      if (typeof bytes === 'string') throw this.stop('parse', line, bytes, [`script: ${event.text}`]);
      this.ip.deliver(IpProtocol.TCP, bytes, this.remote);
    }
    this.remember(this.sim.scheduler.now(), event.text.replace(/^\S+\s+/, '').replace(/\s*(\/\/|\/\*).*$/, ''));
  }

  // ---- system calls ----------------------------------------------------------------

  private syscall(event: ScriptEvent & SyscallEvent, table: SocketTable): void {
    const line = event.location.line;
    const r = table.call(event.name, event.args);
    if (r.kind === 'unsupported') throw this.stop('unsupported', line, `unsupported: ${r.construct}`, [`script: ${event.text}`]);
    if (r.kind === 'error') throw this.stop('stack', line, r.message, [`script: ${event.text}`]);
    const now = this.sim.scheduler.now();
    // packetdrill: in `+a...b` both times count from the previous event; in `a...b` both are absolute.
    const at = event.time.kind === 'point' ? event.time.at : undefined;
    const endNs = (p: TimePoint): number => (at?.relative === true ? now - at.usecs * NS_PER_US + p.usecs * NS_PER_US : p.usecs * NS_PER_US);
    if (r.kind === 'done') {
      if (event.end !== undefined) {
        const end = endNs(event.end);
        if (Math.abs(now - end) > this.tolerance) {
          throw this.stop('timing', line, `${event.name}() returned at once (${formatNs(now)}), but the script expects it to block until ${formatNs(end)}`, [`script: ${event.text}`]);
        }
      }
      this.checkOutcome(event, r.outcome);
      return;
    }
    if (event.end === undefined) {
      throw this.stop('syscall', line, `${event.name}() blocked, but the script expects it to return at once (write 'start...end ${event.name}(...)' for a blocking call)`, [`script: ${event.text}`, `at ${formatNs(now)}`]);
    }
    this.blocked.push({ event, end: endNs(event.end), retry: r.retry, done: undefined });
  }

  private checkOutcome(event: ScriptEvent & SyscallEvent, o: Outcome): void {
    const show = (result: number, errno: string | undefined): string => `${result}${errno !== undefined ? ` ${errno}` : ''}`;
    const errnoMatches = event.errno === undefined || o.errno === event.errno || ERRNO[o.errno ?? ''] === ERRNO[event.errno];
    if (o.result !== event.result || !errnoMatches) {
      throw this.stop('syscall', event.location.line, `${event.name}() returned ${show(o.result, o.errno)}, expected ${show(event.result, event.errno)}`, [`script: ${event.text}`, `at ${formatNs(this.sim.scheduler.now())}`]);
    }
    if (o.mismatch !== undefined) throw this.stop('syscall', event.location.line, o.mismatch, [`script: ${event.text}`]);
  }

  private wake(): void {
    if (this.waking) {
      this.wakeAgain = true;
      return;
    }
    this.waking = true;
    try {
      do {
        this.wakeAgain = false;
        for (const b of this.blocked) {
          if (b.done !== undefined) continue;
          const outcome = b.retry();
          if (outcome !== undefined) b.done = { outcome, time: this.sim.scheduler.now() };
        }
      } while (this.wakeAgain);
    } finally {
      this.waking = false;
    }
  }

  /** Check blocking calls: finished ones returned the right thing at the right time; none is overdue. */
  private checkBlocked(at: ScriptEvent, final = false): void {
    const now = this.sim.scheduler.now();
    for (let i = 0; i < this.blocked.length; i++) {
      const b = this.blocked[i]!;
      const line = b.event.location.line;
      if (b.done !== undefined) {
        if (Math.abs(b.done.time - b.end) > this.tolerance) {
          throw this.stop('timing', line, `blocking ${b.event.name}() returned at ${formatNs(b.done.time)}, expected at ${formatNs(b.end)} (tolerance ±${formatNs(this.tolerance)})`, [`script: ${b.event.text}`]);
        }
        this.checkOutcome(b.event, b.done.outcome);
        this.blocked.splice(i--, 1);
      } else if (final || now > b.end + this.tolerance) {
        throw this.stop('timing', line, `blocking ${b.event.name}() had not returned by ${formatNs(b.end + this.tolerance)} (expected at ${formatNs(b.end)})`, [`script: ${b.event.text}`, `checked at ${formatNs(now)}, before line ${at.location.line}`]);
      }
    }
  }

  /** A stack that schedules events without end (a timer re-arming itself at one instant) must not hang the runner. */
  private guard(steps: number, event: ScriptEvent): void {
    if (steps > MAX_STEPS_PER_EVENT) {
      throw this.stop('stack', event.location.line, `the stack under test ran ${MAX_STEPS_PER_EVENT} scheduler events before this line without settling (a timer loop?); virtual time ${formatNs(this.sim.scheduler.now())}`, [`script: ${event.text}`]);
    }
  }

  // ---- failures --------------------------------------------------------------------

  private failure(kind: FailureKind, line: number, headline: string, details: readonly string[]): PacketdrillFailure {
    const where = line > 0 ? `${this.file}:${line}` : this.file;
    return { kind, line, headline, message: [`${where}: ${headline}`, ...details.map((d) => `  ${d}`)].join('\n') };
  }

  private stop(kind: FailureKind, line: number, headline: string, details: readonly string[]): Stop {
    const recent = kind === 'packet' || kind === 'missing' || kind === 'unexpected' || kind === 'timing';
    const history = recent && this.history.length > 0 ? ['last packets before this line:', ...this.history.map((h) => `  ${h}`)] : [];
    return new Stop(this.failure(kind, line, headline, [...details, ...history]));
  }

  private remember(time: number, text: string): void {
    this.history.push(`${formatNs(time)} ${text}`);
    if (this.history.length > HISTORY) this.history.shift();
  }
}
