// Parsing packetdrill packet lines after the direction: TCP (`S. 0:0(0) ack 1 win 5840
// <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>`), UDP (`udp (100)`) and ICMP
// (`icmp unreachable frag_needed mtu 1200 [1:1461(1460)]`). TCP options follow RFC 9293
// §3.2 (MSS, NOP, EOL), RFC 7323 (wscale, TS) and RFC 2018 (sackOK, sack).

import type { IcmpPacketSpec, PacketSpec, TcpOptionSpec, TcpPacketSpec } from './ast.ts';
import { Cursor, LineError } from './cursor.ts';

const FLAG_LETTERS = /^[SFRP.UEW]+$/;

export function parsePacket(c: Cursor): PacketSpec {
  c.skipSpace();
  const start = c.column;
  const word = c.word();
  if (word === 'udp') return parseUdp(c);
  if (word === 'icmp') return parseIcmp(c);
  if (word === '') c.fail('expected TCP flags (S, ., F, R, P...), udp or icmp after the direction');
  if (word.startsWith('[') || word.startsWith('(')) c.unsupported(`IP-level packet annotation '${word}'`, start);
  if (word === '-' || word === 'tcp') c.unsupported(`packet header '${word}'`, start);
  if (!FLAG_LETTERS.test(word)) throw new LineError(start, `unknown TCP flags '${word}' (use S . F R P U E W)`);
  return parseTcpRest(c, word);
}

/** `seq:end(len)`. */
function seqRange(c: Cursor): { seqStart: number; seqEnd: number; length: number } {
  c.skipSpace();
  const col = c.column;
  const seqStart = c.integer('sequence number');
  c.expect(':');
  const seqEnd = c.integer('end sequence number');
  c.expect('(');
  const length = c.integer('payload length', 65535);
  c.expect(')');
  if (((seqEnd - seqStart) >>> 0) !== length) throw new LineError(col, `sequence range ${seqStart}:${seqEnd} does not match length (${length})`);
  return { seqStart, seqEnd, length };
}

function parseTcpRest(c: Cursor, flags: string): TcpPacketSpec {
  const range = seqRange(c);
  let ack: number | undefined;
  let win: number | undefined;
  let urg: number | undefined;
  let options: TcpPacketSpec['options'];
  while (!c.atEnd()) {
    const col = c.column;
    if (c.peek() === '<') {
      if (options !== undefined) c.fail('options given twice');
      options = parseOptions(c);
      continue;
    }
    const key = c.identifier();
    if (key === 'ack') ack = c.integer('ack number');
    else if (key === 'win') win = c.integer('window', 65535);
    else if (key === 'urg') urg = c.integer('urgent pointer', 65535);
    else if (key !== undefined) c.unsupported(`TCP packet attribute '${key}'`, col);
    else c.fail(`unexpected ${c.describeNext()} in a TCP packet`);
  }
  return { protocol: 'tcp', flags, ...range, ack, win, urg, options };
}

function parseOptions(c: Cursor): readonly TcpOptionSpec[] | 'any' {
  c.skipSpace();
  const open = c.column;
  c.expect('<');
  const close = c.text.indexOf('>', c.pos);
  if (close === -1) throw new LineError(open, "unterminated TCP options: missing '>'");
  const bodyStart = c.pos;
  const body = c.text.slice(c.pos, close);
  c.pos = close + 1;
  if (body.trim() === '...') return 'any';
  const out: TcpOptionSpec[] = [];
  let offset = 0;
  for (const part of body.split(',')) {
    const column = bodyStart + offset + 1 + (part.length - part.trimStart().length);
    offset += part.length + 1;
    out.push(parseOption(part.trim(), column));
  }
  return out;
}

function parseOption(text: string, column: number): TcpOptionSpec {
  const words = text.split(/\s+/);
  const num = (s: string | undefined, what: string, max = 0xffffffff): number => {
    if (s === undefined || !/^(\d+|0x[0-9a-fA-F]+)$/.test(s)) throw new LineError(column, `TCP option '${text}': expected ${what}`);
    const v = Number(s);
    if (v > max) throw new LineError(column, `TCP option '${text}': ${what} ${s} is out of range (0 to ${max})`);
    return v;
  };
  switch (words[0]) {
    case 'nop':
      if (words.length === 1) return { kind: 'nop' };
      break;
    case 'eol':
      if (words.length === 1) return { kind: 'eol' };
      break;
    case 'sackOK':
      if (words.length === 1) return { kind: 'sackOK' };
      break;
    case 'mss':
      if (words.length === 2) return { kind: 'mss', value: num(words[1], 'an MSS', 65535) };
      break;
    case 'wscale':
      if (words.length === 2) return { kind: 'wscale', value: num(words[1], 'a shift count', 255) };
      break;
    case 'TS':
      if (words.length === 5 && words[1] === 'val' && words[3] === 'ecr') return { kind: 'TS', val: num(words[2], 'a TS value'), ecr: num(words[4], 'a TS echo') };
      throw new LineError(column, `TCP option '${text}': expected 'TS val <n> ecr <n>'`);
    case 'sack': {
      const blocks: (readonly [number, number])[] = [];
      for (const b of words.slice(1)) {
        const m = /^(\d+):(\d+)$/.exec(b);
        if (m === null) throw new LineError(column, `TCP option '${text}': SACK block '${b}' should be left:right`);
        blocks.push([num(m[1], 'a SACK edge'), num(m[2], 'a SACK edge')]);
      }
      if (blocks.length === 0 || blocks.length > 4) throw new LineError(column, `TCP option '${text}': 1 to 4 SACK blocks`);
      return { kind: 'sack', blocks };
    }
    case '':
      throw new LineError(column, 'empty TCP option in the list');
    default:
      throw new LineError(column, `unsupported: TCP option '${words[0]}'`, true);
  }
  throw new LineError(column, `malformed TCP option '${text}'`);
}

function parseUdp(c: Cursor): PacketSpec {
  c.expect('(');
  const length = c.integer('UDP payload length', 65507);
  c.expect(')');
  if (!c.atEnd()) c.unsupported(`UDP packet attribute ${c.describeNext()}`);
  return { protocol: 'udp', length };
}

const ICMP_TYPES = new Set(['unreachable', 'time_exceeded']);

function parseIcmp(c: Cursor): IcmpPacketSpec {
  c.skipSpace();
  const col = c.column;
  const type = c.identifier();
  if (type === undefined || !ICMP_TYPES.has(type)) c.unsupported(`ICMP type '${type ?? c.describeNext()}'`, col);
  let code: string | undefined;
  let mtu: number | undefined;
  let quoted: IcmpPacketSpec['quoted'];
  while (!c.atEnd()) {
    if (c.eat('[')) {
      quoted = seqRange(c);
      c.expect(']');
      continue;
    }
    const at = c.column;
    const word = c.identifier();
    if (word === 'mtu') mtu = c.integer('MTU', 65535);
    else if (word !== undefined && code === undefined) code = word;
    else throw new LineError(at, `unexpected ${c.describeNext()} in an ICMP packet`);
  }
  return { protocol: 'icmp', type, code, mtu, quoted };
}
