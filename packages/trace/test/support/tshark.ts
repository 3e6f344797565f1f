// Test support: run Debian's tshark over a capture and report what it found: packets,
// malformed packets, bad checksums (IP, TCP, UDP, and the FCS when asked) and the payload
// of each TCP stream, per direction, as tshark reassembled it.

import { execFileSync } from 'node:child_process';

export function findTshark(): string | undefined {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    return 'tshark';
  } catch {
    return undefined;
  }
}

const CHECKS = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];

function run(tshark: string, args: string[]): string {
  return execFileSync(tshark, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
}

export interface TsharkReport {
  readonly packets: number;
  readonly malformed: number;
  readonly badChecksums: number;
  readonly fcsGood: number;
  /** Per TCP stream: the bytes each side sent, as text (first sender = client). */
  readonly streams: { client: string; server: string }[];
}

export function tsharkCheck(tshark: string, path: string, extra: string[] = [], streamCount = 1): TsharkReport {
  const fields = run(tshark, ['-r', path, ...CHECKS, ...extra, '-T', 'fields', '-E', 'separator=|', '-e', 'frame.number', '-e', '_ws.malformed', '-e', 'ip.checksum.status', '-e', 'tcp.checksum.status', '-e', 'udp.checksum.status', '-e', 'eth.fcs.status', '-e', '_ws.expert.severity']);
  const rows = fields.trim() === '' ? [] : fields.trim().split('\n').map((l) => l.split('|'));
  const bad = (v: string | undefined): boolean => v !== undefined && v.split(',').includes('0');
  // Expert severity "error" is 0x00800000 (8388608); malformed packets carry _ws.malformed.
  const malformed = rows.filter((r) => (r[1] ?? '') !== '' || (r[6] ?? '').split(',').includes('8388608')).length;
  const streams: { client: string; server: string }[] = [];
  for (let i = 0; i < streamCount; i++) {
    const follow = run(tshark, ['-r', path, '-q', '-z', `follow,tcp,raw,${i}`]);
    const lines = follow.split('\n').filter((l) => /^\t?[0-9a-f]+$/.test(l));
    let client = '';
    let server = '';
    for (const line of lines) {
      const text = Buffer.from(line.trim(), 'hex').toString('latin1');
      if (line.startsWith('\t')) server += text;
      else client += text;
    }
    streams.push({ client, server });
  }
  return {
    packets: rows.length,
    malformed,
    badChecksums: rows.filter((r) => bad(r[2]) || bad(r[3]) || bad(r[4]) || bad(r[5])).length,
    fcsGood: rows.filter((r) => r[5] === '1').length,
    streams,
  };
}
