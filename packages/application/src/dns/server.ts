// An authoritative DNS name server over UDP for the simulation's names (RFC 1035 §4.3.2,
// §6; negative answers with the zone's SOA per RFC 2308 §3): A records from a simple
// name -> address zone, any extra records (CNAME chased inside the zone, NS, MX, TXT),
// PTR records for reverse lookups, NXDOMAIN for names that do not exist, NODATA for other
// types, FORMERR for garbage, NOTIMP for other opcodes, REFUSED outside its zones. Answers
// over 512 bytes are truncated (TC). It never answers a response (no reflection loops).

import { assertPort, DropReason, InvalidArgumentError, Ipv4Address, isWireError, type DatagramRemote, type DatagramSocket, type DatagramTransport, type NodeContext } from '@netlayers/core';
import {
  DnsClass,
  DnsOpcode,
  DnsRcode,
  DnsType,
  describeDnsMessage,
  dnsMessage,
  emitDnsMessage,
  parseDnsMessage,
  peekDnsHeader,
  type DnsMessage,
  type DnsQuestion,
  type DnsResourceRecord,
} from './message.ts';
import { canonicalName, nameToLabels } from './name.ts';
import { traceDrop, tracePdu } from '../util/trace.ts';

export interface DnsServerOptions {
  /** Names and their IPv4 addresses: { 'server.lab': '10.0.2.10' }. */
  readonly zone: Readonly<Record<string, string | readonly string[]>>;
  /** More records served as they are (CNAME, NS, MX, TXT...). */
  readonly records?: readonly DnsResourceRecord[];
  /** The zones this server is authoritative for; default: the parent of every name (server.lab -> lab). */
  readonly origins?: readonly string[];
  /** Serve PTR records under in-addr.arpa for every A record (default true). */
  readonly reverse?: boolean;
  readonly port?: number;
  readonly address?: string;
  /** TTL of the records made from `zone`, seconds (default 300). */
  readonly ttl?: number;
  readonly node?: NodeContext;
}

/** Largest response over UDP without EDNS (RFC 1035 §4.2.1). */
export const DNS_UDP_PAYLOAD_LIMIT = 512;

export function reverseName(address: Ipv4Address): string {
  return `${address.toString().split('.').reverse().join('.')}.in-addr.arpa`;
}

export class DnsServer {
  readonly socket: DatagramSocket;
  private readonly records = new Map<string, DnsResourceRecord[]>();
  private readonly origins: string[];
  private readonly ttl: number;
  private readonly node: NodeContext | undefined;
  /** Queries answered, by response code name. */
  readonly stats = { queries: 0, answered: 0, dropped: 0 };

  constructor(udp: DatagramTransport, options: DnsServerOptions) {
    const port = options.port ?? 53;
    assertPort(port);
    this.ttl = options.ttl ?? 300;
    this.node = options.node;
    const origins = new Set<string>((options.origins ?? []).map(canonicalName));
    for (const [name, value] of Object.entries(options.zone)) {
      nameToLabels(name); // validates
      const addresses = typeof value === 'string' ? [value] : value;
      for (const text of addresses) {
        const address = Ipv4Address.parse(text);
        this.add({ name, class: DnsClass.IN, ttl: this.ttl, data: { type: DnsType.A, address } });
        if (options.reverse !== false) this.add({ name: reverseName(address), class: DnsClass.IN, ttl: this.ttl, data: { type: DnsType.PTR, host: name } });
      }
      if (options.origins === undefined) {
        const canonical = canonicalName(name);
        const dot = canonical.indexOf('.');
        origins.add(dot < 0 ? canonical : canonical.slice(dot + 1));
      }
    }
    for (const record of options.records ?? []) this.add(record);
    if (options.reverse !== false && Object.keys(options.zone).length > 0) origins.add('in-addr.arpa');
    if (origins.size === 0) throw new InvalidArgumentError('zone', options.zone, 'gives the server no names to be authoritative for');
    this.origins = [...origins];
    this.socket = udp.bind({ port, ...(options.address !== undefined ? { address: options.address } : {}) });
    this.socket.on('message', (data, remote) => {
      try {
        this.onMessage(data, remote);
      } catch {
        // Defensive: a bug here must not escape into the transport's receive path.
        this.stats.dropped++;
      }
    });
  }

  private add(record: DnsResourceRecord): void {
    const key = canonicalName(record.name);
    const list = this.records.get(key) ?? [];
    list.push(record);
    this.records.set(key, list);
  }

  close(): void {
    this.socket.close();
  }

  private onMessage(data: Uint8Array, remote: DatagramRemote): void {
    this.stats.queries++;
    const query = parseDnsMessage(data);
    if (isWireError(query)) {
      traceDrop(this.node, 'dns', query.reason, query.detail, data.length);
      const header = peekDnsHeader(data);
      if (header === null || header.response) {
        this.stats.dropped++;
        return;
      }
      this.reply(remote, dnsMessage({ id: header.id, response: true, opcode: header.opcode, recursionDesired: header.recursionDesired, rcode: DnsRcode.FORMERR }));
      return;
    }
    tracePdu(this.node, 'dns', 'up', describeDnsMessage(query), data.length, { protocol: 'dns', id: query.id, response: query.response });
    if (query.response) {
      traceDrop(this.node, 'dns', DropReason.NotForUs, 'a response sent to the server', data.length);
      this.stats.dropped++;
      return;
    }
    this.reply(remote, this.answer(query));
  }

  /** Build the response to a well-formed query. */
  answer(query: DnsMessage): DnsMessage {
    const base = { id: query.id, response: true, opcode: query.opcode, recursionDesired: query.recursionDesired, questions: query.questions };
    if (query.opcode !== DnsOpcode.QUERY) return dnsMessage({ ...base, rcode: DnsRcode.NOTIMP });
    if (query.questions.length !== 1) return dnsMessage({ ...base, rcode: DnsRcode.FORMERR });
    const question = query.questions[0]!;
    const name = canonicalName(question.name);
    const origin = this.originOf(name);
    if (origin === undefined || (question.class !== DnsClass.IN && question.class !== DnsClass.ANY)) {
      return dnsMessage({ ...base, rcode: DnsRcode.REFUSED });
    }
    const answers = this.lookup(question, name);
    if (answers.length > 0) return dnsMessage({ ...base, authoritative: true, answers });
    const exists = this.records.has(name) || name === origin || [...this.records.keys()].some((k) => k.endsWith(`.${name}`));
    return dnsMessage({ ...base, authoritative: true, rcode: exists ? DnsRcode.NOERROR : DnsRcode.NXDOMAIN, authorities: [this.soa(origin)] });
  }

  private lookup(question: DnsQuestion, name: string): DnsResourceRecord[] {
    const answers: DnsResourceRecord[] = [];
    let current = name;
    for (let hops = 0; hops < 8; hops++) {
      const here = this.records.get(current) ?? [];
      const matching = here.filter((r) => question.type === DnsType.ANY || r.data.type === question.type);
      if (matching.length > 0) return [...answers, ...matching];
      const cname = here.find((r) => r.data.type === DnsType.CNAME);
      if (cname === undefined || question.type === DnsType.CNAME) return answers;
      answers.push(cname);
      current = canonicalName((cname.data as { host: string }).host);
    }
    return answers;
  }

  private originOf(name: string): string | undefined {
    let best: string | undefined;
    for (const origin of this.origins) {
      if ((name === origin || name.endsWith(`.${origin}`)) && (best === undefined || origin.length > best.length)) best = origin;
    }
    return best;
  }

  private soa(origin: string): DnsResourceRecord {
    return {
      name: origin,
      class: DnsClass.IN,
      ttl: this.ttl,
      data: { type: DnsType.SOA, mname: `ns.${origin}`, rname: `hostmaster.${origin}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: this.ttl },
    };
  }

  private reply(remote: DatagramRemote, response: DnsMessage): void {
    let bytes = emitDnsMessage(response);
    if (bytes.length > DNS_UDP_PAYLOAD_LIMIT) {
      response = { ...response, truncated: true, answers: [], authorities: [], additionals: [] };
      bytes = emitDnsMessage(response);
    }
    tracePdu(this.node, 'dns', 'down', describeDnsMessage(response), bytes.length, { protocol: 'dns', id: response.id, response: true, rcode: response.rcode });
    this.stats.answered++;
    try {
      this.socket.send(bytes, remote.port, remote.address);
    } catch {
      this.stats.dropped++;
    }
  }
}
