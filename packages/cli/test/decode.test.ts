// `netlayers decode`: the real captures in fixtures/captures (tcpdump on a veth) and a pcapng
// with FCS and nanoseconds written by netlayers itself, decoded to lines, one frame's
// encapsulation, the connections and a ladder; every usage mistake and unreadable file is
// exit status 2 with a message; random and truncated bytes never throw.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32 } from '@netlayers/core';
import { captureStartNs, isCaptureReadError, readCapture, writePcapng, type CaptureFile } from '@netlayers/trace';
import { isValidXml, mermaidParse } from './support/validators.ts';
import { runCli } from '../src/main.ts';
import { UsageError } from '../src/args.ts';
import { parseDecodeArgs, type DecodeCommand } from '../src/decode-args.ts';
import { decodeOutput } from '../src/decode.ts';
import { fieldHex } from '../src/decode-frame.ts';
import { formatClock, formatSecondsNs } from '../src/decode-time.ts';

const root = new URL('../../../', import.meta.url).pathname;
const fixture = (name: string): string => join(root, 'fixtures/captures', name);
const dir = mkdtempSync(join(tmpdir(), 'netlayers-decode-'));

async function decode(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(['decode', ...args], { stdout, stderr, stdin: new PassThrough(), env: {} });
  return { code, stdout: out, stderr: err };
}

/** tcpdump's version, or undefined where it is not installed (the live comparisons skip). */
function tcpdumpVersion(): string | undefined {
  try {
    return execFileSync('tcpdump', ['--version'], { stdio: 'pipe' }).toString().split('\n')[0];
  } catch {
    return undefined;
  }
}
const tcpdump = tcpdumpVersion();

/** What `tcpdump -nn <flags> -r file` prints, in UTC. */
function tcpdumpOutput(file: string, ...flags: string[]): string {
  return execFileSync('tcpdump', ['-nn', ...flags, '-r', file], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

/** Output split per frame: a line opening with a time starts a record; -v rows and hex-dump rows join it. */
function records(output: string): string[] {
  const out: string[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    if (/^\d+(:\d\d:\d\d)?\.\d{6} /.test(line) || out.length === 0) out.push(line);
    else out[out.length - 1] += `\n${line}`;
  }
  return out;
}

/** tcpdump's "IP6 ..." line where netlayers (IPv4 only) prints the frame as an unknown ethertype with its bytes in hex, as tcpdump does for an ethertype it has no printer for. */
const IPV6_UNDECODED = /^\S+ [0-9a-f:]{17} > [0-9a-f:]{17}, ethertype IPv6 \(0x86dd\), length \d+: \n\t0x0000:  6000 /;

/** Record for record against tcpdump's: the same text, but for IPv6 frames (counted). */
function compareWithTcpdump(ours: string[], theirs: string[]): number {
  expect(ours).toHaveLength(theirs.length);
  let ipv6 = 0;
  theirs.forEach((line, i) => {
    if (/^\S+ IP6 /.test(line)) {
      ipv6++;
      expect(ours[i]).toMatch(IPV6_UNDECODED);
    } else {
      expect(ours[i], `record ${i + 1}`).toBe(line);
    }
  });
  return ipv6;
}

const capturesWithTcpdumpOutput = readdirSync(join(root, 'fixtures/captures')).filter((f) => f.endsWith('.pcap') && readdirSync(join(root, 'fixtures/captures')).includes(f.replace(/\.pcap$/, '.txt')));

function read(bytes: Uint8Array): CaptureFile {
  const file = readCapture(bytes);
  if (isCaptureReadError(file)) throw new Error(file.error);
  return file;
}

describe('decode arguments', () => {
  it('parses every flag', () => {
    expect(parseDecodeArgs(['a.pcap', '-c', '5', '--time', 'relative', '-S', '-v'])).toEqual({
      file: 'a.pcap', count: 5, time: 'relative', absoluteSequence: true, verbose: true, model: 'tcpip-5', picture: false, connections: false,
    });
    expect(parseDecodeArgs(['a.pcap', '--frame', '3', '--model', 'osi-7'])).toMatchObject({ frame: 3, model: 'osi-7' });
    expect(parseDecodeArgs(['a.pcap', '--trace', 'mermaid', '--connection', '2'])).toMatchObject({ trace: 'mermaid', connection: 2 });
    expect(parseDecodeArgs(['a.pcap', '--connections'])).toMatchObject({ connections: true });
  });

  it.each([
    [[], /missing capture file/],
    [['a.pcap', 'b.pcap'], /one capture file \(got also "b.pcap"\)/],
    [['a.pcap', '--colour'], /unknown flag --colour/],
    [['a.pcap', '-c', 'x'], /invalid value "x" for -c/],
    [['a.pcap', '--frame', '0'], /invalid value "0" for --frame/],
    [['a.pcap', '--time', 'local'], /invalid value "local" for --time: use clock, relative, epoch/],
    [['a.pcap', '--trace', 'text'], /invalid value "text" for --trace: use ladder, mermaid, svg/],
    [['a.pcap', '--frame', '1', '--model', 'osi7'], /invalid value "osi7" for --model/],
    [['a.pcap', '--connection', '1'], /--connection needs --trace/],
    [['a.pcap', '--model', 'tcpip-4'], /--model needs --frame or --trace/],
    [['a.pcap', '--frame', '1', '--trace', 'ladder'], /--frame shows one frame/],
    [['a.pcap', '--picture'], /--picture needs --frame/],
  ])('%j is a usage error', (args, message) => {
    expect(() => parseDecodeArgs(args)).toThrow(UsageError);
    expect(() => parseDecodeArgs(args)).toThrow(message);
  });
});

describe('decode times', () => {
  it('prints the UTC time of day, relative and epoch seconds, truncating to µs as tcpdump does', () => {
    const t = 1_733_420_262_512_372_999n; // 2024-12-05 17:37:42.512372999 UTC
    expect(formatClock(t)).toBe('17:37:42.512372');
    expect(formatSecondsNs(t)).toBe('1733420262.512372');
    expect(formatSecondsNs(135_113_000n)).toBe('0.135113');
    expect(formatSecondsNs(-1_500_000n)).toBe('-0.001500');
  });
});

describe('netlayers decode on real captures', () => {
  it.each(capturesWithTcpdumpOutput)('%s: what tcpdump -nn -r printed for it (the .txt beside it), IPv6 frames aside', async (name) => {
    const { code, stdout, stderr } = await decode(fixture(name));
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const theirs = records(readFileSync(fixture(name.replace(/\.pcap$/, '.txt')), 'utf8'));
    const ipv6 = compareWithTcpdump(records(stdout), theirs);
    // IPv6 is out of netlayers' scope; only the neighbour solicitations and MLD reports the kernel sent.
    expect(ipv6).toBe({ 'http-curl.pcap': 2, 'http-bulk.pcap': 2 }[name] ?? 0);
  });

  it('the tcpdump conventions: the IP prefix, sequence numbers relative to the connection, absolute with -S', async () => {
    const plain = records((await decode(fixture('http-curl.pcap'))).stdout);
    expect(plain[2]).toBe('17:37:42.647485 ARP, Request who-has 10.77.0.1 tell 10.77.0.2, length 28');
    expect(plain).toContain('17:37:42.647560 IP 10.77.0.1.1 > 10.77.0.2.48182: Flags [R.], seq 0, ack 3083117528, win 0, length 0');
    expect(plain).toContain('17:37:42.782522 IP 10.77.0.1.53326 > 10.77.0.2.8000: Flags [P.], seq 1:89, ack 1, win 63, options [nop,nop,TS val 108036442 ecr 464901971], length 88');
    const absolute = records((await decode(fixture('http-curl.pcap'), '-S')).stdout);
    expect(absolute).toContain('17:37:42.782522 IP 10.77.0.1.53326 > 10.77.0.2.8000: Flags [P.], seq 1378263566:1378263654, ack 3680758490, win 63, options [nop,nop,TS val 108036442 ecr 464901971], length 88');
    expect(absolute).toContain('17:37:42.781878 IP 10.77.0.1.53326 > 10.77.0.2.8000: Flags [.], ack 3680758490, win 63, options [nop,nop,TS val 108036441 ecr 464901971], length 0');
    // -S changes only the numbers of the frames after a connection's SYN.
    const changed = plain.filter((line, i) => line !== absolute[i]);
    expect(changed.length).toBeGreaterThan(5);
    expect(changed.every((line) => / IP 10\.77\.0\.[12]\.(53326|8000) > .*Flags \[[^\]]*\]/.test(line))).toBe(true);
  });

  it.each(['dumpcap-http.pcapng', 'tap-bridge.pcap'])('%s: every line what tcpdump -nn printed (a pcapng of dumpcap, the kernel side of the TAP bridge)', async (name) => {
    const { code, stdout } = await decode(fixture(name));
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toEqual(readFileSync(fixture(name.replace(/\.pcap(ng)?$/, '.txt')), 'utf8').trimEnd().split('\n'));
  });

  it('-c, --time relative and -v', async () => {
    const { stdout } = await decode(fixture('dns-dig.pcap'), '-c', '2', '--time', 'relative', '-v');
    expect(stdout).toBe([
      '0.000000 IP (tos 0x0, ttl 64, id 37689, offset 0, flags [none], proto UDP (17), length 84)',
      '    10.77.0.1.48190 > 10.77.0.2.53: 2390+ [1au] A? www.Example.Lab. (56)',
      '0.004501 IP (tos 0x0, ttl 64, id 39423, offset 0, flags [DF], proto UDP (17), length 88)',
      '    10.77.0.2.53 > 10.77.0.1.48190: 2390* 1/0/1 www.Example.Lab. A 10.77.0.80 (60)',
      '',
    ].join('\n'));
    const plain = (await decode(fixture('dns-dig.pcap'), '-c', '1')).stdout;
    expect(plain).toBe(`${readFileSync(fixture('dns-dig.txt'), 'utf8').split('\n')[0]}\n`);
    expect((await decode(fixture('dns-dig.pcap'), '-c', '1', '--time', 'epoch')).stdout).toMatch(/^1796405865\.600716 IP 10\.77\.0\.1\.48190 > /);
  });

  it.skipIf(tcpdump === undefined)(`every fixture under -v and -S: what ${tcpdump ?? 'tcpdump (not installed)'} prints now, IPv6 frames aside`, async () => {
    for (const name of capturesWithTcpdumpOutput) {
      for (const flag of ['-v', '-S']) {
        const ours = records((await decode(fixture(name), flag)).stdout);
        compareWithTcpdump(ours, records(tcpdumpOutput(fixture(name), flag)));
      }
    }
  });

  it('--frame shows the encapsulation in the chosen model with every field in hex', async () => {
    const five = await decode(fixture('http-curl.pcap'), '--frame', '10');
    expect(five.code).toBe(0);
    expect(five.stdout).toContain('Frame 10 of 18: 154 bytes captured, on if0 at 17:37:42.782522 UTC, Ethernet, no FCS');
    expect(five.stdout).toContain('TCP/IP five-layer model');
    expect(five.stdout).toMatch(/Source port\s+53326\s+d0 4e/);
    expect(five.stdout).toMatch(/Version\s+4\s+0x4/);
    expect(five.stdout).toMatch(/Request line\s+GET \/index\.html HTTP\/1\.1/);
    expect(five.stdout).toContain('  0040  d7 53 47 45 54 20 2f 69 6e 64 65 78 2e 68 74 6d  .SGET /index.htm');
    const four = await decode(fixture('http-curl.pcap'), '--frame', '10', '--model', 'tcpip-4');
    expect(four.stdout).toContain('1 Link (network access)');
    const osi = await decode(fixture('http-curl.pcap'), '--frame', '10', '--model', 'osi-7');
    expect(osi.stdout).toContain('OSI');
    const picture = await decode(fixture('http-curl.pcap'), '--frame', '10', '--model', 'tcpip-4', '--picture');
    expect(four.stdout.startsWith(picture.stdout.trimEnd())).toBe(true);
    expect(picture.stdout).not.toContain('Bytes:');
  });

  it('--connections lists the TCP connections; --trace draws one, relative unless -S', async () => {
    const list = await decode(fixture('http-curl.pcap'), '--connections');
    expect(list.stdout).toBe('  1  TCP 10.77.0.2:48182 > 10.77.0.1:1  frames 5-6 (2 frames, 0 payload bytes)\n  2  TCP 10.77.0.1:53326 > 10.77.0.2:8000  frames 7-18 (12 frames, 303 payload bytes)\n');
    const ladder = await decode(fixture('http-curl.pcap'), '--trace', 'ladder', '--connection', '2');
    expect(ladder.code).toBe(0);
    expect(ladder.stdout).toContain('SYN seq=0 len=0');
    expect(ladder.stdout).toContain('PSH,ACK seq=1 ack=1 len=88');
    const absolute = await decode(fixture('http-curl.pcap'), '--trace', 'ladder', '--connection', '2', '-S');
    expect(absolute.stdout).toContain('SYN seq=1378263565 len=0');
    const mermaid = await decode(fixture('http-curl.pcap'), '--trace', 'mermaid');
    expect(mermaid.stdout).toMatch(/^sequenceDiagram/m);
    const svg = await decode(fixture('http-curl.pcap'), '--trace', 'svg', '--connection', '2');
    expect(svg.stdout).toMatch(/^<\?xml[^\n]*\n<svg[\s\S]*<\/svg>\n$/);
    expect(isValidXml(svg.stdout)).toBe(true);
    await expect(mermaidParse(mermaid.stdout)).resolves.toBeDefined();
  });

  it('reads a pcapng with the FCS kept, nanosecond times and two interfaces', async () => {
    const curl = read(new Uint8Array(readFileSync(fixture('http-curl.pcap'))));
    const start = captureStartNs(curl);
    const frames = curl.packets.map((p, i) => {
      const bytes = new Uint8Array(p.data.length + 4);
      bytes.set(p.data);
      new DataView(bytes.buffer).setUint32(p.data.length, crc32(p.data), true);
      return { time: Number(p.timestampNs - start) + 7, bytes, interfaceName: i % 2 ? 'server:eth0' : 'client:eth0', direction: 'outbound' as const };
    });
    const file = join(dir, 'fcs.pcapng');
    writeFileSync(file, writePcapng(frames, { epochNs: start }));
    const { code, stdout } = await decode(file, '--time', 'relative');
    expect(code).toBe(0);
    // The same lines as the pcap's, but for the FCS's 4 bytes where tcpdump counts them: in an
    // ARP's length (tcpdump 4.99 reads no if_fcslen) and in an undecoded frame's hex.
    const plain = records((await decode(fixture('http-curl.pcap'), '--time', 'relative')).stdout);
    const withFcs = records(stdout);
    expect(withFcs).toHaveLength(plain.length);
    withFcs.forEach((line, i) => {
      if (line.includes(' ARP, ')) expect(line).toBe(plain[i]!.replace(/length 28$/, 'length 32'));
      else if (IPV6_UNDECODED.test(line)) expect(line.split('\n')[0]).toBe(plain[i]!.split('\n')[0]!.replace('length 86', 'length 90'));
      else expect(line).toBe(plain[i]);
    });
    if (tcpdump !== undefined) compareWithTcpdump(records((await decode(file)).stdout), records(tcpdumpOutput(file)));
    const frame = await decode(file, '--frame', '6');
    expect(frame.stdout).toContain('on server:eth0');
    expect(frame.stdout).toContain('Ethernet with 4-byte FCS');
    expect(frame.stdout).toMatch(/FCS/);
  });
});

describe('mistakes and unreadable files: exit status 2 and a message', () => {
  const garbage = join(dir, 'garbage.pcap');
  writeFileSync(garbage, 'this is not a capture file at all');
  const tokenRing = join(dir, 'token-ring.pcap');
  const header = new DataView(new ArrayBuffer(24 + 16 + 4));
  header.setUint32(0, 0xa1b2c3d4, true);
  header.setUint16(4, 2, true);
  header.setUint16(6, 4, true);
  header.setUint32(16, 65535, true);
  header.setUint32(20, 6, true); // LINKTYPE_IEEE802_5
  header.setUint32(32, 4, true);
  header.setUint32(36, 4, true);
  writeFileSync(tokenRing, new Uint8Array(header.buffer));

  it.each([
    [[join(dir, 'missing.pcap')], /no such capture file: .*missing\.pcap/],
    [[dir], /is a directory, not a capture file/],
    [[garbage], /is not a capture netlayers can read: not a pcap or pcapng file \(magic 0x74686973\)/],
    [[tokenRing], /unknown link type 6: netlayers decodes Ethernet/],
    [[fixture('http-curl.pcap'), '--frame', '19'], /--frame 19: the capture has 18 frames/],
    [[fixture('http-curl.pcap'), '--trace', 'ladder', '--connection', '3'], /--connection 3: this capture has 2 connections/],
    [[fixture('dns-dig.pcap'), '--trace', 'ladder'], /no TCP connection in this capture/],
  ])('decode %j', async (args, message) => {
    const { code, stdout, stderr } = await decode(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a capture cut in the middle of a record shows the frames before it and says where it stopped', async () => {
    const bytes = readFileSync(fixture('http-curl.pcap'));
    const file = join(dir, 'cut.pcap');
    writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    const { code, stdout, stderr } = await decode(file);
    expect(code).toBe(0);
    expect(records(stdout)).toHaveLength(17);
    expect(records(stdout)).toEqual(records(readFileSync(fixture('http-curl.txt'), 'utf8')).slice(0, 17).map((l, i) => (/ IP6 /.test(l) ? records(stdout)[i] : l)));
    expect(stderr).toMatch(/record 18: 66 bytes announced, 56 present \(the frames before it are shown\)/);
  });

  it('a frame cut short on the wire is shown with what is wrong, not a crash', async () => {
    const curl = read(new Uint8Array(readFileSync(fixture('http-curl.pcap'))));
    const p = curl.packets[9]!;
    const file = join(dir, 'short-frame.pcapng');
    writeFileSync(file, writePcapng([{ time: 0, bytes: p.data.subarray(0, 40), interfaceName: 'eth0', direction: 'outbound' }], { keepFcs: false }));
    const { code, stdout } = await decode(file);
    expect(code).toBe(0);
    // As tcpdump -nn prints it: the IP header whole, 2 bytes of TCP, not yet the ports.
    expect(stdout).toBe('00:00:00.000000 IP truncated-ip - 118 bytes missing! 10.77.0.1 > 10.77.0.2: [|tcp]\n');
    if (tcpdump !== undefined) expect(stdout).toBe(tcpdumpOutput(file));
    expect((await decode(file, '--frame', '1')).code).toBe(0);
  });

  it('help lists decode', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    await runCli(['--help'], { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} });
    expect(out).toContain('netlayers decode <capture.pcap|capture.pcapng>');
    expect((await decode('--help')).stdout).toContain('--frame <n>');
  });
});

describe('untrusted bytes never throw', () => {
  const fixtures = ['http-curl.pcap', 'dns-dig.pcap', 'dhcp.pcap', 'ping-fragments.pcap', 'tcp-options.pcap', 'tap-bridge.pcap', 'dumpcap-http.pcapng'].map((f) => new Uint8Array(readFileSync(fixture(f))));
  const base: DecodeCommand = { file: 'x', time: 'clock', absoluteSequence: false, verbose: true, model: 'tcpip-5', picture: false, connections: false };

  function everyView(bytes: Uint8Array): void {
    const file = readCapture(bytes);
    if (isCaptureReadError(file)) return;
    decodeOutput(file, base);
    decodeOutput(file, { ...base, connections: true });
    for (let n = 1; n <= file.packets.length; n++) decodeOutput(file, { ...base, frame: n, model: n % 2 ? 'osi-7' : 'tcpip-4' });
    try {
      decodeOutput(file, { ...base, trace: 'ladder' });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error; // "no TCP connection" is a usage error
    }
  }

  it('random bytes behind a pcap header', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (body) => {
        const bytes = new Uint8Array(24 + 16 + body.length);
        const v = new DataView(bytes.buffer);
        v.setUint32(0, 0xa1b2c3d4, true);
        v.setUint32(16, 65535, true);
        v.setUint32(20, 1, true);
        v.setUint32(32, body.length, true);
        v.setUint32(36, body.length, true);
        bytes.set(body, 40);
        everyView(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('truncated and corrupted real captures', () => {
    fc.assert(
      fc.property(fc.nat(fixtures.length - 1), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), (which, cut, flips) => {
        const source = fixtures[which]!;
        const bytes = source.slice(0, 24 + (cut % (source.length - 23)));
        for (const [at, value] of flips) if (at % bytes.length >= 24) bytes[at % bytes.length] = value;
        everyView(bytes);
      }),
      { numRuns: 60 },
    );
  });

  it('fieldHex stays inside the frame', () => {
    const frame = Uint8Array.of(0x45, 0x00);
    expect(fieldHex(frame, { name: 'v', bitOffset: 0, bitLength: 4, value: '4' })).toBe('0x4');
    expect(fieldHex(frame, { name: 'x', bitOffset: 8, bitLength: 16, value: '?' })).toBe('');
  });
});
