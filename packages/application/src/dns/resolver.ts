// A stub resolver (RFC 1035 §7, RFC 1123 §6.1.3.1): sends a recursive query over UDP to
// its configured servers, matches the reply by server address and port, id and question
// (RFC 5452 §3), retransmits after a timeout and moves on to the next server, follows a
// CNAME chain inside the answer, and caches positive answers for their TTL in virtual time.

import {
  assertIntegerInRange,
  InvalidArgumentError,
  Ipv4Address,
  isWireError,
  NetlayersError,
  NS_PER_S,
  parseDuration,
  DropReason,
  type DatagramRemote,
  type DatagramSocket,
  type DatagramTransport,
  type NodeContext,
  type Random,
  type TimerHandle,
} from '@netlayers/core';
import { DnsClass, DnsRcode, DnsType, describeDnsMessage, dnsMessage, dnsRcodeName, emitDnsMessage, parseDnsMessage, type DnsMessage } from './message.ts';
import { canonicalName, nameToLabels } from './name.ts';
import { reverseName } from './server.ts';
import { traceDrop, tracePdu, traceTimer } from '../util/trace.ts';

export type DnsErrorCode = 'ENOTFOUND' | 'ENODATA' | 'ETIMEOUT' | 'ESERVFAIL' | 'EREFUSED' | 'EFORMERR' | 'ENOTIMP' | 'EBADRESP' | 'ECANCELLED';

/** A failed lookup, with Node's dns error codes. */
export class DnsError extends NetlayersError {
  constructor(code: DnsErrorCode, readonly hostname: string, detail: string) {
    super(code, `${code}: ${hostname}: ${detail}`);
  }
}

export interface DnsResolverOptions {
  readonly servers: readonly (string | Ipv4Address)[];
  /** Per-attempt timeout (default "2s"). */
  readonly timeout?: number | string;
  /** Retransmissions after the first attempt (default 2); attempts rotate through the servers. */
  readonly retries?: number;
  readonly port?: number;
  /** Cache positive answers for their TTL (default true). */
  readonly cache?: boolean;
  /** The node's context: the clock for timeouts, the random stream for query ids, tracing. */
  readonly node: NodeContext;
}

interface Outstanding {
  readonly id: number;
  readonly name: string;
  readonly type: number;
  server: DatagramRemote;
  attempt: number;
  timer: TimerHandle | null;
  lastError: DnsError | null;
  resolve(message: DnsMessage): void;
  reject(error: DnsError): void;
}

const RETRYABLE: Readonly<Record<number, DnsErrorCode>> = {
  [DnsRcode.SERVFAIL]: 'ESERVFAIL',
  [DnsRcode.REFUSED]: 'EREFUSED',
  [DnsRcode.NOTIMP]: 'ENOTIMP',
  [DnsRcode.FORMERR]: 'EFORMERR',
};

export class DnsResolver {
  readonly servers: readonly Ipv4Address[];
  private readonly timeout: number;
  private readonly retries: number;
  private readonly port: number;
  private readonly node: NodeContext;
  private readonly random: Random;
  private readonly useCache: boolean;
  private socket: DatagramSocket | null = null;
  private readonly outstanding = new Map<number, Outstanding>();
  private readonly cache = new Map<string, { addresses: Ipv4Address[]; expires: number }>();
  readonly stats = { queries: 0, retransmissions: 0, mismatched: 0, cacheHits: 0 };

  constructor(private readonly udp: DatagramTransport, options: DnsResolverOptions) {
    if (options.node === undefined) throw new InvalidArgumentError('node', options.node, 'DnsResolver needs the node context (clock and random stream)');
    if (!Array.isArray(options.servers) || options.servers.length === 0) throw new InvalidArgumentError('servers', options.servers, 'needs at least one server address');
    this.servers = options.servers.map((s) => Ipv4Address.from(s));
    this.timeout = parseDuration(options.timeout ?? '2s');
    this.retries = options.retries ?? 2;
    assertIntegerInRange('retries', this.retries, 0, 20);
    this.port = options.port ?? 53;
    this.node = options.node;
    this.random = options.node.random.fork('dns-resolver');
    this.useCache = options.cache ?? true;
  }

  /** The first IPv4 address of `name` (an address literal resolves to itself). */
  async resolve(name: string): Promise<Ipv4Address> {
    return (await this.resolveAll(name))[0]!;
  }

  /** Every IPv4 address of `name`, following CNAMEs. */
  async resolveAll(name: string): Promise<Ipv4Address[]> {
    const literal = Ipv4Address.tryParse(name);
    if (typeof literal !== 'string') return [literal];
    const key = canonicalName(name);
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.expires > this.node.scheduler.now()) {
      this.stats.cacheHits++;
      return cached.addresses;
    }
    const response = await this.query(name, DnsType.A);
    if (response.rcode === DnsRcode.NXDOMAIN) throw new DnsError('ENOTFOUND', name, 'no such name (NXDOMAIN)');
    if (response.rcode !== DnsRcode.NOERROR) throw new DnsError(RETRYABLE[response.rcode] ?? 'EBADRESP', name, `server answered ${dnsRcodeName(response.rcode)}`);
    if (response.truncated && response.answers.length === 0) throw new DnsError('EBADRESP', name, 'truncated answer (TC) and no TCP fallback in this resolver');
    const { addresses, ttl } = followAnswer(response, key);
    if (addresses.length === 0) throw new DnsError('ENODATA', name, 'the name exists but has no A record');
    if (this.useCache && ttl > 0) this.cache.set(key, { addresses, expires: this.node.scheduler.now() + ttl * NS_PER_S });
    return addresses;
  }

  /** The name of `address` from its PTR record. */
  async reverse(address: Ipv4Address | string): Promise<string> {
    const name = reverseName(Ipv4Address.from(address));
    const response = await this.query(name, DnsType.PTR);
    if (response.rcode === DnsRcode.NXDOMAIN) throw new DnsError('ENOTFOUND', name, 'no such name (NXDOMAIN)');
    const ptr = response.answers.find((a) => a.data.type === DnsType.PTR);
    if (ptr === undefined) throw new DnsError('ENODATA', name, 'no PTR record');
    return (ptr.data as { host: string }).host;
  }

  /** Send one query (with retries) and return the matching response, whatever its rcode. */
  query(name: string, type: number = DnsType.A): Promise<DnsMessage> {
    nameToLabels(name); // throws InvalidArgumentError for a bad name
    assertIntegerInRange('type', type, 0, 0xffff);
    const socket = this.ensureSocket();
    if (this.outstanding.size >= 0xffff) return Promise.reject(new DnsError('EBADRESP', name, 'too many outstanding queries'));
    let id: number;
    do id = this.random.int(0, 0xffff);
    while (this.outstanding.has(id));
    this.stats.queries++;
    return new Promise<DnsMessage>((resolve, reject) => {
      const entry: Outstanding = { id, name, type, server: { address: this.servers[0]!, port: this.port }, attempt: 0, timer: null, lastError: null, resolve, reject };
      this.outstanding.set(id, entry);
      this.transmit(socket, entry);
    });
  }

  /** Stop: pending queries fail with ECANCELLED. */
  close(): void {
    for (const entry of this.outstanding.values()) {
      entry.timer?.cancel();
      entry.reject(new DnsError('ECANCELLED', entry.name, 'resolver closed'));
    }
    this.outstanding.clear();
    this.socket?.close();
    this.socket = null;
  }

  private ensureSocket(): DatagramSocket {
    if (this.socket !== null) return this.socket;
    const socket = this.udp.bind({});
    socket.on('message', (data, remote) => this.onMessage(data, remote));
    this.socket = socket;
    return socket;
  }

  private transmit(socket: DatagramSocket, entry: Outstanding): void {
    entry.server = { address: this.servers[entry.attempt % this.servers.length]!, port: this.port };
    const query = dnsMessage({ id: entry.id, recursionDesired: true, questions: [{ name: entry.name, type: entry.type, class: DnsClass.IN }] });
    const bytes = emitDnsMessage(query);
    tracePdu(this.node, 'dns', 'down', describeDnsMessage(query), bytes.length, { protocol: 'dns', id: entry.id, response: false, attempt: entry.attempt });
    try {
      socket.send(bytes, entry.server.port, entry.server.address);
    } catch {
      // No route or similar: the timeout below moves on to the next attempt.
    }
    traceTimer(this.node, 'dns', 'set', 'query-timeout', `id ${entry.id}`, this.timeout);
    entry.timer = this.node.scheduler.schedule(this.timeout, () => {
      traceTimer(this.node, 'dns', 'fired', 'query-timeout', `id ${entry.id}`);
      this.nextAttempt(entry, new DnsError('ETIMEOUT', entry.name, `no answer after ${1 + this.retries} attempt(s)`));
    });
  }

  private nextAttempt(entry: Outstanding, error: DnsError): void {
    entry.timer?.cancel();
    entry.lastError = error;
    if (entry.attempt >= this.retries || this.socket === null) {
      this.outstanding.delete(entry.id);
      entry.reject(error);
      return;
    }
    entry.attempt++;
    this.stats.retransmissions++;
    this.transmit(this.socket, entry);
  }

  private onMessage(data: Uint8Array, remote: DatagramRemote): void {
    const message = parseDnsMessage(data);
    if (isWireError(message)) {
      traceDrop(this.node, 'dns', message.reason, message.detail, data.length);
      return;
    }
    const entry = this.outstanding.get(message.id);
    const question = message.questions[0];
    const matches =
      entry !== undefined &&
      message.response &&
      remote.address.equals(entry.server.address) &&
      remote.port === entry.server.port &&
      message.questions.length === 1 &&
      question !== undefined &&
      canonicalName(question.name) === canonicalName(entry.name) &&
      question.type === entry.type &&
      question.class === DnsClass.IN;
    if (!matches) {
      this.stats.mismatched++;
      traceDrop(this.node, 'dns', DropReason.NotForUs, `response id ${message.id} from ${remote.address}:${remote.port} matches no outstanding query`, data.length);
      return;
    }
    tracePdu(this.node, 'dns', 'up', describeDnsMessage(message), data.length, { protocol: 'dns', id: message.id, response: true, rcode: message.rcode });
    const retryable = RETRYABLE[message.rcode];
    if (retryable !== undefined && entry.attempt < this.retries) {
      this.nextAttempt(entry, new DnsError(retryable, entry.name, `server ${remote.address} answered ${dnsRcodeName(message.rcode)}`));
      return;
    }
    entry.timer?.cancel();
    this.outstanding.delete(entry.id);
    entry.resolve(message);
  }
}

/** Follow CNAMEs from `name` through the answer section; the A records at the end and the smallest TTL seen. */
function followAnswer(response: DnsMessage, name: string): { addresses: Ipv4Address[]; ttl: number } {
  let current = name;
  let ttl = Number.POSITIVE_INFINITY;
  for (let hops = 0; hops < 8; hops++) {
    const here = response.answers.filter((a) => canonicalName(a.name) === current && a.class === DnsClass.IN);
    const a = here.filter((r) => r.data.type === DnsType.A);
    if (a.length > 0) {
      for (const r of a) ttl = Math.min(ttl, r.ttl);
      return { addresses: a.map((r) => (r.data as { address: Ipv4Address }).address), ttl };
    }
    const cname = here.find((r) => r.data.type === DnsType.CNAME);
    if (cname === undefined) break;
    ttl = Math.min(ttl, cname.ttl);
    current = canonicalName((cname.data as { host: string }).host);
  }
  return { addresses: [], ttl: 0 };
}
