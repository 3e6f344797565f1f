// The packetdrill parser: every construct it supports, diagnostics with line and column,
// "unsupported: ..." for valid packetdrill it does not implement, and never a throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScript } from '../src/parser.ts';

function events(source: string) {
  const r = parseScript(source);
  if (r.script === undefined) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'));
  return r.script.events;
}

function problem(source: string): string {
  const r = parseScript(source);
  expect(r.script).toBeUndefined();
  const d = r.diagnostics[0]!;
  return `${d.line}:${d.column} ${d.message}`;
}

describe('parseScript', () => {
  it('reads time specs: absolute, relative, range, any, blocking', () => {
    const e = events('0 close(3) = 0\n+0.1 close(3) = 0\n1.5 close(3) = 0\n+.2~+.3 close(3) = 0\n* close(3) = 0\n0.1...0.2 read(4, ..., 10) = 10\n+0...+.5 accept(3, ..., ...) = 4\n');
    expect(e.map((x) => x.time)).toEqual([
      { kind: 'point', at: { relative: false, usecs: 0 } },
      { kind: 'point', at: { relative: true, usecs: 100000 } },
      { kind: 'point', at: { relative: false, usecs: 1500000 } },
      { kind: 'range', from: { relative: true, usecs: 200000 }, to: { relative: true, usecs: 300000 } },
      { kind: 'any' },
      { kind: 'point', at: { relative: false, usecs: 100000 } },
      { kind: 'point', at: { relative: true, usecs: 0 } },
    ]);
    expect(e[5]).toMatchObject({ type: 'syscall', name: 'read', end: { relative: false, usecs: 200000 } });
    expect(e[6]).toMatchObject({ type: 'syscall', name: 'accept', end: { relative: true, usecs: 500000 } });
  });

  it('reads system calls with loose arguments, results, errno and comments', () => {
    const [a, b, c, d] = events(
      [
        '0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3',
        '+0 connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("192.0.2.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
        '+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0',
        '+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0 // trailing comment',
      ].join('\n'),
    );
    expect(a).toMatchObject({ name: 'socket', result: 3, errno: undefined, args: [{ kind: 'ellipsis' }, { kind: 'ident', name: 'SOCK_STREAM' }, { kind: 'ident', name: 'IPPROTO_TCP' }] });
    expect(b).toMatchObject({ name: 'connect', result: -1, errno: 'EINPROGRESS' });
    expect(b?.type === 'syscall' && b.args[1]).toMatchObject({ kind: 'struct', fields: [{ name: 'sa_family' }, { name: 'sin_port', value: { kind: 'call', name: 'htons', args: [{ kind: 'int', value: 8080 }] } }, { name: 'sin_addr' }] });
    expect(c?.type === 'syscall' && c.args[2]).toEqual({ kind: 'or', terms: [{ kind: 'ident', name: 'O_RDWR' }, { kind: 'ident', name: 'O_NONBLOCK' }] });
    expect(d).toMatchObject({ name: 'setsockopt', result: 0 });
  });

  it('reads TCP packets: flags, seq range, ack, win, urg and every option', () => {
    const [s, p] = events('+0 < S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>\n+0 > P.U 1:1001(1000) ack 1 win 257 urg 5 <nop,nop,sack 1:2 3:4,eol>\n');
    expect(s).toMatchObject({
      type: 'packet',
      direction: '<',
      packet: {
        protocol: 'tcp',
        flags: 'S',
        seqStart: 0,
        seqEnd: 0,
        length: 0,
        ack: undefined,
        win: 32792,
        options: [{ kind: 'mss', value: 1000 }, { kind: 'sackOK' }, { kind: 'TS', val: 100, ecr: 0 }, { kind: 'nop' }, { kind: 'wscale', value: 7 }],
      },
    });
    expect(p).toMatchObject({
      direction: '>',
      packet: { flags: 'P.U', seqStart: 1, seqEnd: 1001, length: 1000, ack: 1, win: 257, urg: 5, options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[1, 2], [3, 4]] }, { kind: 'eol' }] },
    });
  });

  it('reads <...>, UDP and ICMP lines, and options before the first event', () => {
    const r = parseScript('--tolerance_usecs=10000\n--tcp_sack=0\n0 > S. 0:0(0) ack 1 <...>\n+0 < udp (100)\n+0 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]\n');
    expect([...r.script!.options]).toEqual([
      ['tolerance_usecs', '10000'],
      ['tcp_sack', '0'],
    ]);
    expect(r.script!.events.map((e) => (e.type === 'packet' ? e.packet : undefined))).toMatchObject([
      { protocol: 'tcp', options: 'any' },
      { protocol: 'udp', length: 100 },
      { protocol: 'icmp', type: 'unreachable', code: 'frag_needed', mtu: 1200, quoted: { seqStart: 1, seqEnd: 1461, length: 1460 } },
    ]);
  });

  it('skips // and /* */ comments, keeping line numbers', () => {
    const e = events('/* a\n   b */\n0 close(3) = 0 // x\n\n// y\n+0 close(4) = 0\n');
    expect(e.map((x) => x.location.line)).toEqual([3, 6]);
  });

  it('reports errors with line and column', () => {
    expect(problem('0 close(3) = 0\n+0 > S. 0:5(0) ack 1\n')).toBe('2:9 sequence range 0:5 does not match length (0)');
    expect(problem('0 > Q 0:0(0)\n')).toBe('1:5 unknown TCP flags \'Q\' (use S . F R P U E W)');
    expect(problem('0 close(3)\n')).toBe("1:11 expected '= <expected result>', found end of line");
    expect(problem('0 > S 0:0(0) <mss 1460\n')).toBe("1:14 unterminated TCP options: missing '>'");
    expect(problem('abc\n')).toBe('1:1 expected a time (0, +0.1, 1.5, 0.1~0.2 or *), found \'abc\'');
    expect(problem('0 close(3) = 0\n--tolerance_usecs=1\n')).toBe('2:1 options (--name=value) must come before the first event');
    expect(problem('0 close(3) = 0 EAGAIN\n')).toBe('1:22 an errno (EAGAIN) goes with a result of -1, not 0');
    expect(problem('/* open\n0 close(3) = 0\n')).toBe("1:1 unterminated '/*' comment");
  });

  it('reports valid packetdrill it does not implement as unsupported', () => {
    const cases: [string, string][] = [
      ['`sysctl -q net.ipv4.tcp_sack=0`\n', '1:1 unsupported: shell command (backquoted line)'],
      ['+0 `echo hi`\n', '1:4 unsupported: shell command (backquoted line)'],
      ['0 > S 0:0(0) <mss 1460,md5 abc>\n', '1:24 unsupported: TCP option \'md5\''],
      ['0 > S 0:0(0) <FO abcd>\n', '1:15 unsupported: TCP option \'FO\''],
      ['0 < [ect0] S 0:0(0)\n', "1:5 unsupported: IP-level packet annotation '[ect0]'"],
      ['0 < S 0:0(0) flowlabel 3\n', "1:14 unsupported: TCP packet attribute 'flowlabel'"],
      ['0 < icmp echo_request\n', "1:10 unsupported: ICMP type 'echo_request'"],
      ['%{ print(1) }%\n', '1:1 expected a time (0, +0.1, 1.5, 0.1~0.2 or *), found \'%{\''],
    ];
    for (const [source, message] of cases) {
      const r = parseScript(source);
      expect(`${r.diagnostics[0]?.line}:${r.diagnostics[0]?.column} ${r.diagnostics[0]?.message}`).toBe(message);
      if (message.includes('unsupported')) expect(r.diagnostics[0]?.unsupported).toBe(true);
    }
  });

  it('never throws, whatever the input', () => {
    const alphabet = fc.constantFrom(...'0123456789+.~*<>SFRP.UEW:()[]{}=,|-" `/abcxyz\n\t'.split(''), 'ack ', 'win ', '<mss 1000,', 'TS val 1 ecr ', 'sack 1:2', '...', 'socket(', ') = ', '/*', '*/', '//');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }), (parts) => {
        const r = parseScript(parts.join(''));
        expect(r.script === undefined).toBe(r.diagnostics.length > 0);
        for (const d of r.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});
