// The TCP examples run end to end and show what they promise: the textbook handshake
// numbers (RFC 9293 §3.5), the teardown states in order with TIME-WAIT lasting exactly
// 2*MSL (§3.6, §3.4.2) — normal, simultaneous and half-close — and a bulk transfer whose
// bytes arrive exactly, with its statistics and cwnd chart printed.

import { describe, it, expect } from 'vitest';
import { main as handshake, CLIENT_ISN, SERVER_ISN, segmentLabel, type SegmentRow } from '../three-way-handshake.ts';
import { main as teardown } from '../four-way-teardown.ts';
import { main as bulk, cwndChart, parseArgs } from '../bulk-transfer.ts';

async function run<T>(example: (write: (line: string) => void, args: readonly string[]) => Promise<T>, args: readonly string[] = []): Promise<{ out: string; lines: string[]; result: T }> {
  const lines: string[] = [];
  const result = await example((line) => lines.push(line), args);
  return { out: lines.join('\n'), lines, result };
}

/** "SYN,ACK seq=1000 ack=1 len=0 | ESTABLISHED SYN-RECEIVED": a row as the tests compare it. */
function describeRow(row: SegmentRow): string {
  return `${row.from}: ${segmentLabel(row)} | ${row.after['client']} ${row.after['server']}`;
}

const i = CLIENT_ISN;
const j = SERVER_ISN;

describe('examples/three-way-handshake.ts', () => {
  it('shows SYN seq=i; SYN,ACK seq=j ack=i+1; ACK seq=i+1 ack=j+1 with each side\'s state after each segment', async () => {
    const { out, result } = await run(handshake);
    expect(result.rows.map(describeRow)).toEqual([
      `client: SYN seq=${i} len=0 | SYN-SENT SYN-RECEIVED`,
      `server: SYN,ACK seq=${j} ack=${i + 1} len=0 | ESTABLISHED SYN-RECEIVED`,
      `client: ACK seq=${i + 1} ack=${j + 1} len=0 | ESTABLISHED ESTABLISHED`,
    ]);
    // Each segment takes one 2 ms trip (two 1 ms cables through the switch, plus serialization).
    for (const row of result.rows) {
      expect(row.arrived! - row.sent).toBeGreaterThanOrEqual(2_000_000);
      expect(row.arrived! - row.sent).toBeLessThan(2_100_000);
    }
    // The printed table and the textbook check say the same.
    expect(out).toMatch(/1 {2}client → server {2}SYN seq=0 len=0 +[\d.]+ +[\d.]+ +SYN-SENT +SYN-RECEIVED/);
    expect(out).toMatch(/2 {2}server → client {2}SYN,ACK seq=1000 ack=1 len=0 +[\d.]+ +[\d.]+ +ESTABLISHED +SYN-RECEIVED/);
    expect(out).toMatch(/3 {2}client → server {2}ACK seq=1 ack=1001 len=0 +[\d.]+ +[\d.]+ +ESTABLISHED +ESTABLISHED/);
    expect(out).toContain('ack=i+1 = 1 ✓');
    expect(out).toContain('ack=j+1 = 1001 ✓');
    expect(out).not.toContain('✗');
    // The trace package's ladder is printed too, with the arrows labelled the same way.
    expect(out).toMatch(/-+ SYN seq=0 len=0 -+>\|/);
    expect(out).toMatch(/\|<-+ SYN,ACK seq=1000 ack=1 len=0 -+\|/);
  });

  it('prints the Mermaid ladder with --mermaid', async () => {
    const { out } = await run(handshake, ['--mermaid']);
    expect(out).toContain('sequenceDiagram');
    expect(out).toMatch(/client->>server: SYN seq=0 len=0/);
    expect(out).toMatch(/server->>client: SYN,ACK seq=1000 ack=1 len=0/);
    expect(out).toMatch(/client->>server: ACK seq=1 ack=1001 len=0/);
  });

  // RFC 9293 §3.10.7.2: a SYN arriving in LISTEN moves the connection LISTEN -> SYN-RECEIVED.
  // The passive side's state trace must say so (the ladder then starts the server in LISTEN).
  // Known failure, reported to the TCP owner: acceptSyn traces the new TCB as CLOSED -> SYN-RECEIVED.
  it('traces the passive open as LISTEN → SYN-RECEIVED', async () => {
    const { out } = await run(handshake);
    const ladderHeader = out.split('\n').find((l) => /CLOSED \|\s+\| \w+/.test(l));
    expect(ladderHeader).toMatch(/\| LISTEN$/);
  });
});

describe('examples/four-way-teardown.ts', () => {
  it('closes FIN, ACK, FIN, ACK through FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, LAST-ACK, TIME-WAIT, and 2*MSL later CLOSED', async () => {
    const { out, result } = await run(teardown);
    expect(result.rows.slice(3).map(describeRow)).toEqual([
      'client: FIN,ACK seq=1 ack=1001 len=0 | FIN-WAIT-1 CLOSE-WAIT',
      'server: ACK seq=1001 ack=2 len=0 | FIN-WAIT-2 CLOSE-WAIT',
      'server: FIN,ACK seq=1001 ack=2 len=0 | TIME-WAIT LAST-ACK',
      'client: ACK seq=2 ack=1002 len=0 | TIME-WAIT CLOSED',
    ]);
    expect(result.changes.map((c) => `${c.node} ${c.from}→${c.to}`)).toEqual([
      'client CLOSED→SYN-SENT',
      'client ESTABLISHED→FIN-WAIT-1',
      'server CLOSE-WAIT→LAST-ACK',
      'client TIME-WAIT→CLOSED',
    ]);
    // RFC 9293 §3.4.2: MSL = 2 minutes; TIME-WAIT lasts exactly 2*MSL of virtual time.
    expect(result.msl).toBe(120e9);
    expect(result.timeWait).toEqual({ client: 240e9 });
    expect(out).toContain('client waited in TIME-WAIT for 4 min of virtual time = 2*MSL ✓');
    expect(out).toMatch(/client +240\.\d{6} s {2}TIME-WAIT → CLOSED/);
    expect(out).toContain('(2*MSL = 4 min)');
  });

  it('takes the MSL from --msl', async () => {
    const { result, out } = await run(teardown, ['--msl', '30s']);
    expect(result.timeWait).toEqual({ client: 60e9 });
    expect(out).toContain('client waited in TIME-WAIT for 1 min of virtual time = 2*MSL ✓');
  });

  it('--simultaneous: both FINs cross, both sides go through CLOSING and wait 2*MSL in TIME-WAIT', async () => {
    const { out, result } = await run(teardown, ['--simultaneous']);
    expect(result.rows.slice(3).map(describeRow)).toEqual([
      'client: FIN,ACK seq=1 ack=1001 len=0 | FIN-WAIT-1 CLOSING',
      'server: FIN,ACK seq=1001 ack=1 len=0 | CLOSING CLOSING',
      'server: ACK seq=1002 ack=2 len=0 | TIME-WAIT CLOSING',
      'client: ACK seq=2 ack=1002 len=0 | TIME-WAIT TIME-WAIT',
    ]);
    expect(result.rows[3]!.sent).toBe(result.rows[4]!.sent);
    expect(result.timeWait).toEqual({ client: 240e9, server: 240e9 });
    expect(out).toContain('server waited in TIME-WAIT for 4 min of virtual time = 2*MSL ✓');
  });

  it('--half-close: the server still sends into FIN-WAIT-2 after the client\'s FIN, then closes', async () => {
    const { out, result } = await run(teardown, ['--half-close']);
    expect(result.rows.slice(3).map(describeRow)).toEqual([
      'client: PSH,ACK seq=1 ack=1001 len=11 | FIN-WAIT-1 ESTABLISHED',
      'client: FIN,ACK seq=12 ack=1001 len=0 | FIN-WAIT-1 CLOSE-WAIT',
      'server: ACK seq=1001 ack=13 len=0 | FIN-WAIT-2 CLOSE-WAIT',
      'server: PSH,ACK seq=1001 ack=13 len=1000 | FIN-WAIT-2 CLOSE-WAIT',
      'server: FIN,ACK seq=2001 ack=13 len=0 | TIME-WAIT LAST-ACK',
      'client: ACK seq=13 ack=2002 len=0 | TIME-WAIT CLOSED',
    ]);
    expect(result.clientRead).toEqual({ bytes: 1000, states: ['FIN-WAIT-2'] });
    expect(out).toContain('client read 1000 bytes while in FIN-WAIT-2');
  });
});

describe('examples/bulk-transfer.ts', () => {
  it('moves 10 MB across 1% loss and 1% reordering: identical SHA-256, stats and cwnd chart printed', async () => {
    const { out, result } = await run(bulk);
    expect(result.options).toMatchObject({ cc: 'newreno', size: 10_000_000, loss: 0.01, reorder: 0.01 });
    expect(result.bytesReceived).toBe(10_000_000);
    expect(result.receivedDigest).toBe(result.sentDigest);
    expect(out).toContain(`SHA-256 received: ${result.sentDigest}  (identical)`);
    // The link did lose frames and TCP did recover them.
    expect(result.framesLost).toBeGreaterThan(20);
    expect(result.stats.retransmissions).toBeGreaterThanOrEqual(result.stats.fastRetransmits);
    expect(result.stats.fastRetransmits).toBeGreaterThan(0);
    expect(out).toMatch(new RegExp(`retransmissions ${result.stats.retransmissions}, fast retransmits ${result.stats.fastRetransmits}, timeouts ${result.stats.timeouts}`));
    // Goodput is in virtual time: below the 100 Mbit/s line rate, above nothing.
    expect(result.goodputBitsPerSecond).toBeGreaterThan(1e6);
    expect(result.goodputBitsPerSecond).toBeLessThan(100e6);
    expect(out).toMatch(/goodput [\d.]+ Mbit\/s/);
    expect(out).toMatch(/wall-clock time: \d+ ms/);
    expect(out).toContain('congestion control: newreno');
    // The chart: a y axis, cwnd marks, and losses that brought ssthresh down from "infinite".
    expect(result.samples.length).toBeGreaterThan(100);
    expect(result.samples.some((s) => s.ssthresh < 0x7fffffff)).toBe(true);
    expect(out).toMatch(/^ +\d+ \|.*\*/m);
    expect(out).toMatch(/^ {6}\+-{64}$/m);
  }, 120_000);

  it('uses the congestion control named by --cc, and each delivers the bytes exactly', async () => {
    for (const cc of ['cubic', 'reno']) {
      const { out, result } = await run(bulk, ['--cc', cc, '--size', '1MB', '--seed', '3']);
      expect(out).toContain(`congestion control: ${cc}`);
      expect(result.bytesReceived).toBe(1_000_000);
      expect(result.receivedDigest).toBe(result.sentDigest);
    }
  }, 120_000);

  it('rejects a bad --cc or probability with a typed error naming it', () => {
    expect(() => parseArgs(['--cc', 'vegas'])).toThrow(/"vegas"/);
    expect(() => parseArgs(['--loss', '2'])).toThrow(/--loss/);
  });

  it('draws the chart from samples: each column the largest cwnd in its slice, ssthresh once finite', () => {
    const mss = 1000;
    const samples = [
      { time: 0, cwnd: 10_000, ssthresh: 0x7fffffff },
      { time: 50, cwnd: 40_000, ssthresh: 0x7fffffff },
      { time: 60, cwnd: 20_000, ssthresh: 20_000 },
    ];
    const chart = cwndChart(samples, mss, 0, 100, 10, 5);
    expect(chart).toEqual([
      '   40 |    **',
      '      |',
      '   20 |     -****',
      '      |****',
      '    0 |',
      '      +----------',
      '       0 ns 100 ns',
    ]);
  });
});
