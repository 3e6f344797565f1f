// DNS messages (RFC 1035 §4.1): the 12-byte header, the question section and the answer,
// authority and additional resource records, with RDATA decoded for A, NS, CNAME, SOA,
// PTR, MX, TXT (§3.3, §3.4.1) and AAAA (RFC 3596); other types keep their raw bytes.
// `parseDnsMessage` never throws; `emitDnsMessage` compresses names (§4.1.4).

import { DropReason, InvalidArgumentError, Ipv4Address, isWireError, wireError, type WireError } from '@netlayers/core';
import { NameCompressor, parseName, type NameCache } from './name.ts';

export const DnsType = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, ANY: 255 } as const;
export const DnsClass = { IN: 1, ANY: 255 } as const;
export const DnsOpcode = { QUERY: 0, IQUERY: 1, STATUS: 2 } as const;
export const DnsRcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export const DNS_HEADER_LENGTH = 12;

const UTF8 = new TextDecoder();

/** UTF-8 text of bytes[start..end): plain ASCII without the decoder's per-call cost. */
function decodeText(bytes: Uint8Array, start: number, end: number): string {
  let ascii = '';
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 0x80) return UTF8.decode(bytes.subarray(start, end));
    ascii += String.fromCharCode(b);
  }
  return ascii;
}

export function dnsTypeName(type: number): string {
  return Object.entries(DnsType).find(([, v]) => v === type)?.[0] ?? `TYPE${type}`;
}

export function dnsRcodeName(rcode: number): string {
  return Object.entries(DnsRcode).find(([, v]) => v === rcode)?.[0] ?? `RCODE${rcode}`;
}

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

export type DnsRecordData =
  | { readonly type: typeof DnsType.A; readonly address: Ipv4Address }
  | { readonly type: typeof DnsType.NS | typeof DnsType.CNAME | typeof DnsType.PTR; readonly host: string }
  | { readonly type: typeof DnsType.MX; readonly preference: number; readonly exchange: string }
  | { readonly type: typeof DnsType.TXT; readonly texts: readonly string[] }
  | {
      readonly type: typeof DnsType.SOA;
      readonly mname: string;
      readonly rname: string;
      readonly serial: number;
      readonly refresh: number;
      readonly retry: number;
      readonly expire: number;
      readonly minimum: number;
    }
  | { readonly type: number; readonly raw: Uint8Array };

export interface DnsResourceRecord {
  readonly name: string;
  readonly class: number;
  /** Seconds. */
  readonly ttl: number;
  readonly data: DnsRecordData;
}

export interface DnsMessage {
  readonly id: number;
  /** QR: false for a query, true for a response. */
  readonly response: boolean;
  readonly opcode: number;
  /** AA: authoritative answer. */
  readonly authoritative: boolean;
  /** TC: truncated. */
  readonly truncated: boolean;
  /** RD: recursion desired. */
  readonly recursionDesired: boolean;
  /** RA: recursion available. */
  readonly recursionAvailable: boolean;
  /** The three Z bits (AD and CD in RFC 4035); kept, not interpreted. */
  readonly z: number;
  readonly rcode: number;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsResourceRecord[];
  readonly authorities: readonly DnsResourceRecord[];
  readonly additionals: readonly DnsResourceRecord[];
}

/** A message with defaults for everything but the id. */
export function dnsMessage(fields: Partial<DnsMessage> & { id: number }): DnsMessage {
  return {
    response: false,
    opcode: 0,
    authoritative: false,
    truncated: false,
    recursionDesired: false,
    recursionAvailable: false,
    z: 0,
    rcode: 0,
    questions: [],
    answers: [],
    authorities: [],
    additionals: [],
    ...fields,
  };
}

/** Read the 16-bit id and QR bit of anything at least 12 bytes long (to answer FORMERR). */
export function peekDnsHeader(bytes: Uint8Array): { id: number; response: boolean; opcode: number; recursionDesired: boolean } | null {
  if (bytes.length < DNS_HEADER_LENGTH) return null;
  return { id: (bytes[0]! << 8) | bytes[1]!, response: (bytes[2]! & 0x80) !== 0, opcode: (bytes[2]! >> 3) & 0x0f, recursionDesired: (bytes[2]! & 1) !== 0 };
}

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

export function parseDnsMessage(bytes: Uint8Array): DnsMessage | WireError {
  if (bytes.length < DNS_HEADER_LENGTH) return wireError(DropReason.Truncated, `DNS message of ${bytes.length} bytes is shorter than its 12-byte header`);
  const flags = u16(bytes, 2);
  const counts = [u16(bytes, 4), u16(bytes, 6), u16(bytes, 8), u16(bytes, 10)] as const;
  let offset = DNS_HEADER_LENGTH;
  const names: NameCache = new Map();
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const name = parseName(bytes, offset, bytes.length, names);
    if (isWireError(name)) return name;
    if (name.end + 4 > bytes.length) return wireError(DropReason.Truncated, `question ${i + 1} is cut off`);
    questions.push({ name: name.name, type: u16(bytes, name.end), class: u16(bytes, name.end + 2) });
    offset = name.end + 4;
  }
  const sections: DnsResourceRecord[][] = [[], [], []];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s + 1]!; i++) {
      const record = parseRecord(bytes, offset, names);
      if (isWireError(record)) return record;
      sections[s]!.push(record.record);
      offset = record.end;
    }
  }
  if (offset !== bytes.length) return wireError(DropReason.BadLength, `${bytes.length - offset} bytes after the last record`);
  return {
    id: u16(bytes, 0),
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0x0f,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    recursionDesired: (flags & 0x0100) !== 0,
    recursionAvailable: (flags & 0x0080) !== 0,
    z: (flags >> 4) & 0x07,
    rcode: flags & 0x0f,
    questions,
    answers: sections[0]!,
    authorities: sections[1]!,
    additionals: sections[2]!,
  };
}

function parseRecord(bytes: Uint8Array, offset: number, names: NameCache): { record: DnsResourceRecord; end: number } | WireError {
  const name = parseName(bytes, offset, bytes.length, names);
  if (isWireError(name)) return name;
  const at = name.end;
  if (at + 10 > bytes.length) return wireError(DropReason.Truncated, `resource record at ${offset} is cut off`);
  const type = u16(bytes, at);
  const klass = u16(bytes, at + 2);
  const ttl = u32(bytes, at + 4);
  const rdLength = u16(bytes, at + 8);
  const start = at + 10;
  const end = start + rdLength;
  if (end > bytes.length) return wireError(DropReason.Truncated, `RDATA of ${rdLength} bytes at ${start} runs past the message`);
  const data = parseRecordData(bytes, type, start, end, names);
  if (isWireError(data)) return data;
  return { record: { name: name.name, class: klass, ttl: ttl > 0x7fffffff ? 0 : ttl, data }, end };
}

function parseRecordData(bytes: Uint8Array, type: number, start: number, end: number, names: NameCache): DnsRecordData | WireError {
  const length = end - start;
  const nameWithin = (at: number): { name: string; end: number } | WireError => parseName(bytes, at, end, names);
  switch (type) {
    case DnsType.A:
      if (length !== 4) return wireError(DropReason.BadLength, `A record RDATA is ${length} bytes, not 4`);
      return { type, address: Ipv4Address.fromBytes(bytes, start) };
    case DnsType.NS:
    case DnsType.CNAME:
    case DnsType.PTR: {
      const n = nameWithin(start);
      if (isWireError(n)) return n;
      if (n.end !== end) return wireError(DropReason.BadLength, `${dnsTypeName(type)} RDATA has ${end - n.end} bytes after the name`);
      return { type, host: n.name };
    }
    case DnsType.MX: {
      if (length < 3) return wireError(DropReason.Truncated, 'MX RDATA is shorter than 3 bytes');
      const n = nameWithin(start + 2);
      if (isWireError(n)) return n;
      if (n.end !== end) return wireError(DropReason.BadLength, 'MX RDATA has bytes after the exchange name');
      return { type, preference: u16(bytes, start), exchange: n.name };
    }
    case DnsType.TXT: {
      const texts: string[] = [];
      let at = start;
      if (length === 0) return wireError(DropReason.Truncated, 'TXT RDATA holds no character-string');
      while (at < end) {
        const n = bytes[at]!;
        if (at + 1 + n > end) return wireError(DropReason.Truncated, 'TXT character-string runs past its RDATA');
        texts.push(n === 0 ? '' : decodeText(bytes, at + 1, at + 1 + n));
        at += 1 + n;
      }
      return { type, texts };
    }
    case DnsType.SOA: {
      const m = nameWithin(start);
      if (isWireError(m)) return m;
      const r = nameWithin(m.end);
      if (isWireError(r)) return r;
      if (r.end + 20 !== end) return wireError(DropReason.BadLength, 'SOA RDATA is not two names and five 32-bit fields');
      return {
        type,
        mname: m.name,
        rname: r.name,
        serial: u32(bytes, r.end),
        refresh: u32(bytes, r.end + 4),
        retry: u32(bytes, r.end + 8),
        expire: u32(bytes, r.end + 12),
        minimum: u32(bytes, r.end + 16),
      };
    }
    default:
      return { type, raw: bytes.slice(start, end) };
  }
}

function push16(out: number[], v: number): void {
  out.push((v >> 8) & 0xff, v & 0xff);
}
function push32(out: number[], v: number): void {
  out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

/** Serialise a message, compressing names. Throws InvalidArgumentError for an unrepresentable name or field. */
export function emitDnsMessage(message: DnsMessage, options: { compress?: boolean } = {}): Uint8Array {
  const compress = options.compress ?? true;
  const out: number[] = [];
  const names = new NameCompressor();
  const sections = [message.questions, message.answers, message.authorities, message.additionals];
  for (const [i, s] of sections.entries()) {
    if (s.length > 0xffff) throw new InvalidArgumentError(`DNS section ${i}`, s.length, 'holds more than 65535 entries');
  }
  push16(out, message.id & 0xffff);
  const flags =
    (message.response ? 0x8000 : 0) |
    ((message.opcode & 0x0f) << 11) |
    (message.authoritative ? 0x0400 : 0) |
    (message.truncated ? 0x0200 : 0) |
    (message.recursionDesired ? 0x0100 : 0) |
    (message.recursionAvailable ? 0x0080 : 0) |
    ((message.z & 0x07) << 4) |
    (message.rcode & 0x0f);
  push16(out, flags);
  for (const s of sections) push16(out, s.length);
  for (const q of message.questions) {
    names.write(out, q.name, compress);
    push16(out, q.type);
    push16(out, q.class);
  }
  for (const record of [...message.answers, ...message.authorities, ...message.additionals]) {
    names.write(out, record.name, compress);
    push16(out, record.data.type);
    push16(out, record.class);
    push32(out, record.ttl);
    const lengthAt = out.length;
    push16(out, 0);
    emitRecordData(out, record.data, names, compress);
    const rdLength = out.length - lengthAt - 2;
    if (rdLength > 0xffff) throw new InvalidArgumentError('RDATA', rdLength, 'is longer than 65535 bytes');
    out[lengthAt] = rdLength >> 8;
    out[lengthAt + 1] = rdLength & 0xff;
  }
  return Uint8Array.from(out);
}

function emitRecordData(out: number[], data: DnsRecordData, names: NameCompressor, compress: boolean): void {
  if ('raw' in data) {
    out.push(...data.raw);
    return;
  }
  switch (data.type) {
    case DnsType.A: {
      const b = new Uint8Array(4);
      (data as { address: Ipv4Address }).address.writeTo(b);
      out.push(...b);
      return;
    }
    case DnsType.NS:
    case DnsType.CNAME:
    case DnsType.PTR:
      names.write(out, (data as { host: string }).host, compress);
      return;
    case DnsType.MX: {
      const mx = data as { preference: number; exchange: string };
      push16(out, mx.preference);
      names.write(out, mx.exchange, compress);
      return;
    }
    case DnsType.TXT:
      for (const t of (data as { texts: readonly string[] }).texts) {
        const b = new TextEncoder().encode(t);
        if (b.length > 255) throw new InvalidArgumentError('TXT string', t, 'is longer than 255 bytes');
        out.push(b.length, ...b);
      }
      return;
    case DnsType.SOA: {
      const soa = data as Extract<DnsRecordData, { type: 6 }>;
      names.write(out, soa.mname, compress);
      names.write(out, soa.rname, compress);
      for (const v of [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum]) push32(out, v);
      return;
    }
    default:
      throw new InvalidArgumentError('DNS record type', (data as { type: number }).type, 'has no encoder; give its RDATA as { type, raw }');
  }
}

/** One line per message, dig-style, for traces. */
export function describeDnsMessage(m: DnsMessage): string {
  const q = m.questions[0];
  const question = q === undefined ? '' : ` ${dnsTypeName(q.type)}? ${q.name}`;
  if (!m.response) return `query id ${m.id}${question}`;
  const answers = m.answers.map((a) => ('address' in a.data ? `${dnsTypeName(a.data.type)} ${a.data.address}` : 'host' in a.data ? `${dnsTypeName(a.data.type)} ${a.data.host}` : dnsTypeName(a.data.type)));
  return `response id ${m.id} ${dnsRcodeName(m.rcode)}${question}${answers.length ? ` -> ${answers.join(', ')}` : ''}${m.authoritative ? ' (aa)' : ''}`;
}
