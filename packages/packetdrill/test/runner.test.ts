// The runner's own tests: scripts that MUST fail, with the exact message they fail with
// (wrong flags, wrong ack, missing packet, unexpected packet, timing out of tolerance,
// unsupported syntax, wrong system-call results), and scripts that pass.
import { describe, expect, it } from 'vitest';
import { runPacketdrillScript } from '../src/runner.ts';
import { netlayersTcp } from '../src/netlayers.ts';

const PRE = `0   socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0  bind(3, ..., ...) = 0
+0  listen(3, 1) = 0
+0  < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>`;
const SYNACK = '+0  > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 3>';
const ESTABLISHED = `${PRE}\n${SYNACK}\n+.1 < . 1:1(0) ack 1 win 257\n+0  accept(3, ..., ...) = 4`;

function run(source: string) {
  return runPacketdrillScript(source, { stack: netlayersTcp(), file: 'fail.pkt' });
}

/** The failure message's lines (the tcpdump line checked by pattern: it holds the absolute ISN). */
function failure(source: string): string[] {
  const r = run(source);
  expect(r.ok).toBe(false);
  return r.failure!.message.split('\n');
}

const TCPDUMP = /^ {2}tcpdump: \d+\.\d{6} IP 192\.168\.0\.1\.8080 > 192\.0\.2\.1\.40000: Flags \[[^\]]+\], seq \d+(:\d+)?, /;

describe('runPacketdrillScript failures', () => {
  it('wrong flags', () => {
    const lines = failure(`${PRE}\n+0  > S 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 3>`);
    expect(lines.slice(0, 4)).toEqual([
      'fail.pkt:5: outbound packet does not match the script: flags: expected S, actual S.',
      '  script: +0  > S 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 3>',
      '  expected at 0.000000 (tolerance ±0.004000)',
      '  actual at 0.000000: > S. 0:0(0) ack 1 win 65535 <mss 1460,nop,nop,sackOK,nop,wscale 3>',
    ]);
    expect(lines[4]).toMatch(TCPDUMP);
    expect(lines.slice(5)).toEqual(['  last packets before this line:', '    0.000000 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>']);
  });

  it('wrong ack', () => {
    const lines = failure(`${PRE}\n+0  > S. 0:0(0) ack 2 <mss 1460,nop,nop,sackOK,nop,wscale 3>`);
    expect(lines[0]).toBe('fail.pkt:5: outbound packet does not match the script: ack: expected 2, actual 1');
    expect(lines[4]).toMatch(TCPDUMP);
  });

  it('wrong options, window and sequence number, all listed', () => {
    const lines = failure(`${ESTABLISHED}\n+0  write(4, ..., 10) = 10\n+0  > P. 2:12(10) ack 1 win 100 <nop,nop,sack 1:2>`);
    expect(lines[0]).toBe('fail.pkt:9: outbound packet does not match the script: seq: expected 2, actual 1');
    expect(lines[3]).toBe('  actual at 0.100000: > P. 1:11(10) ack 1 win 32768');
    expect(lines[5]).toBe('  also wrong: win: expected 100, actual 32768; options: expected <nop,nop,sack 1:2>, actual (none)');
  });

  it('missing packet', () => {
    const lines = failure(`${ESTABLISHED}\n+0  > . 1:1(0) ack 1`);
    expect(lines).toEqual([
      'fail.pkt:8: missing outbound packet: the stack sent nothing by 0.104000 (nor in the 600 s after)',
      '  script: +0  > . 1:1(0) ack 1',
      '  expected at 0.100000 (tolerance ±0.004000)',
      '  last packets before this line:',
      '    0.000000 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>',
      '    0.000000 > S. 0:0(0) ack 1 win 65535 <mss 1460,nop,nop,sackOK,nop,wscale 3>',
      '    0.100000 < . 1:1(0) ack 1 win 257',
    ]);
  });

  it('unexpected packet', () => {
    const lines = failure(`${PRE}\n+.1 < . 1:1(0) ack 1 win 257`);
    expect(lines.slice(0, 3)).toEqual([
      "fail.pkt:5: unexpected outbound packet at 0.000000 (no '>' line expects it before this line)",
      '  script: +.1 < . 1:1(0) ack 1 win 257',
      '  actual at 0.000000: > S. 0:0(0) ack 1 win 65535 <mss 1460,nop,nop,sackOK,nop,wscale 3>',
    ]);
    expect(lines[3]).toMatch(TCPDUMP);
  });

  it('an extra packet after the last expected one', () => {
    const lines = failure(`${ESTABLISHED}\n+0  write(4, ..., 2000) = 2000\n+0  > . 1:1001(1000) ack 1`);
    expect(lines[0]).toBe("fail.pkt:9: unexpected outbound packet at 0.100000 (no '>' line expects it before this line)");
    expect(lines[2]).toBe('  actual at 0.100000: > P. 1001:2001(1000) ack 1 win 32768');
  });

  it('timing out of tolerance: late and early', () => {
    const late = failure(`${ESTABLISHED}\n+0  write(4, ..., 100) = 100\n+0  > P. 1:101(100) ack 1\n+.5 > P. 1:101(100) ack 1`);
    expect(late.slice(0, 3)).toEqual([
      'fail.pkt:10: outbound packet sent too late: expected at 0.600000 (tolerance ±0.004000), actual 1.100000',
      '  script: +.5 > P. 1:101(100) ack 1',
      '  actual at 1.100000: > P. 1:101(100) ack 1 win 32768',
    ]);
    const early = failure(`${ESTABLISHED}\n+0  write(4, ..., 100) = 100\n+0  > P. 1:101(100) ack 1\n+1.2 > P. 1:101(100) ack 1`);
    expect(early[0]).toBe('fail.pkt:10: outbound packet sent too early: expected at 1.300000 (tolerance ±0.004000), actual 1.100000');
    // Within a wider tolerance the same script passes.
    const wide = runPacketdrillScript(`--tolerance_usecs=200000\n${ESTABLISHED}\n+0  write(4, ..., 100) = 100\n+0  > P. 1:101(100) ack 1\n+1.2 > P. 1:101(100) ack 1`, { stack: netlayersTcp() });
    expect(wide.failure?.message).toBeUndefined();
  });

  it('unsupported syntax, system call, socket option and script option', () => {
    expect(failure(`${PRE}\n+0 \`sysctl -q net.ipv4.tcp_sack=0\``)).toEqual(['fail.pkt:5:4: unsupported: shell command (backquoted line)', '  script: +0 `sysctl -q net.ipv4.tcp_sack=0`']);
    expect(failure(`${PRE}\n${SYNACK}\n+0 poll([{fd=3, events=POLLIN}], 1, 0) = 0`)[0]).toBe('fail.pkt:6: unsupported: system call poll()');
    expect(failure(`${PRE}\n${SYNACK}\n+0 setsockopt(3, SOL_SOCKET, SO_RCVBUF, [1000], 4) = 0`)[0]).toBe("fail.pkt:6: unsupported: setsockopt SO_RCVBUF (core's socket contract has no such option)");
    expect(failure(`--tcp_frobnicate=1\n${PRE}`)[0]).toMatch(/^fail\.pkt: unsupported: option --tcp_frobnicate \(the netlayers TCP understands --tcp_timestamps, /);
    const r = run(`${PRE}\n+0 \`true\`\n+0 < S 0:0(0) <md5 1>`);
    expect(r.failure?.kind).toBe('unsupported');
    expect(r.failure?.message).toContain("(1 more problem(s): line 6: unsupported: TCP option 'md5')");
  });

  it('wrong system-call results and blocking', () => {
    expect(failure(`${ESTABLISHED.replace('= 4', '= 5')}`)).toEqual(['fail.pkt:7: accept() returned 4, expected 5', '  script: +0  accept(3, ..., ...) = 5', '  at 0.100000']);
    expect(failure(`${PRE}\n${SYNACK}\n+0  accept(3, ..., ...) = 4`)[0]).toBe("fail.pkt:6: accept() blocked, but the script expects it to return at once (write 'start...end accept(...)' for a blocking call)");
    expect(failure(`${PRE}\n${SYNACK}\n+0...0.2 accept(3, ..., ...) = 4\n+.1 < . 1:1(0) ack 1 win 257`)[0]).toBe('fail.pkt:6: blocking accept() returned at 0.100000, expected at 0.200000 (tolerance ±0.004000)');
    expect(failure(`${PRE}\n${SYNACK}\n+0...0.2 accept(3, ..., ...) = 4`)[0]).toBe('fail.pkt:6: blocking accept() had not returned by 0.204000 (expected at 0.200000)');
    expect(failure(`${ESTABLISHED}\n+0 read(4, ..., 10) = -1 EAGAIN`)[0]).toBe("fail.pkt:8: read() blocked, but the script expects it to return at once (write 'start...end read(...)' for a blocking call)");
    expect(failure(`${ESTABLISHED}\n+0 getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNRESET], [4]) = 0`)[0]).toBe('fail.pkt:8: getsockopt SO_ERROR: expected [104], actual [0]');
    expect(failure(`${ESTABLISHED}\n+0 close(9) = 0`)[0]).toBe('fail.pkt:8: close() returned -1 EBADF, expected 0');
    expect(failure(`${ESTABLISHED}\n+0 setsockopt(4, SOL_TCP, TCP_NODELAY, [ON], 4) = 0`)[0]).toBe('fail.pkt:8: setsockopt TCP_NODELAY: cannot evaluate the value (use [0] or [1], or a number)');
  });

  it('TS val, checked with --tcp_ts_tick_usecs', () => {
    const ts = (val: number, tick: string) =>
      run(`${tick}0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n+0 < S 0:0(0) win 1000 <mss 1000,sackOK,TS val 1 ecr 0,nop,wscale 7>\n+0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 100 ecr 1,nop,wscale 3>\n+.5 < . 1:1(0) ack 1 win 257 <nop,nop,TS val 2 ecr 100>\n+0 accept(3, ..., ...) = 4\n+0 write(4, ..., 10) = 10\n+0 > P. 1:11(10) ack 1 <nop,nop,TS val ${val} ecr 2>`);
    // Half a second later at 1 ms per tick, TS val has moved by 500.
    expect(ts(600, '--tcp_ts_tick_usecs=1000\n').failure?.message).toBeUndefined();
    expect(ts(700, '--tcp_ts_tick_usecs=1000\n').failure?.headline).toBe('outbound packet does not match the script: TS val: expected 700 (±5 ticks of 1000 µs), actual 600');
    // Without the option TS val is not compared (packetdrill's default).
    expect(ts(700, '').failure?.message).toBeUndefined();
  });

  it('bad runner options are reported, not thrown', () => {
    expect(failure(`--local_ip=10.0.0.300\n${PRE}`)[0]).toBe('fail.pkt: --local_ip=10.0.0.300: expected an IPv4 address');
    expect(failure(`--mtu=big\n${PRE}`)[0]).toBe('fail.pkt: --mtu=big: expected an MTU from 68 to 65535 bytes');
    expect(failure(`--tolerance_usecs=-5\n${PRE}`)[0]).toBe('fail.pkt: --tolerance_usecs=-5: expected microseconds');
  });

  it('a parse error stops before anything runs', () => {
    const r = run(`${PRE}\n+0 > S. 0:5(0) ack 1`);
    expect(r.eventsRun).toBe(0);
    expect(r.failure?.kind).toBe('parse');
    expect(r.failure?.message.split('\n')[0]).toBe('fail.pkt:5:9: sequence range 0:5 does not match length (0)');
  });
});

describe('runPacketdrillScript passes', () => {
  it('a script that matches, with `*`, ranges and <...>', () => {
    const r = run(`${PRE}\n* > S. 0:0(0) ack 1 <...>\n+.1 < . 1:1(0) ack 1 win 257\n+0 accept(3, ..., ...) = 4\n+0 write(4, ..., 10) = 10\n0.09~0.11 > P. 1:11(10) ack 1 win 32768`);
    expect(r.failure?.message).toBeUndefined();
    expect(r).toMatchObject({ ok: true, eventsRun: 9, virtualTime: 100_000_000 });
  });

  it('is deterministic: the same script and seed give the same result', () => {
    const source = `${ESTABLISHED}\n+0  write(4, ..., 100) = 100\n+0  > P. 1:101(100) ack 1\n+.5 > P. 1:101(100) ack 1`;
    expect(run(source)).toEqual(run(source));
  });
});
