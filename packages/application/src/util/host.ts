// Turning a client's `host` option into an address: an Ipv4Address or a dotted-quad
// literal is used as it is; a name goes to the resolver the caller passed (a DnsResolver,
// RFC 1035, or anything else with `resolve`). The HTTP, SMTP and FTP clients share this.

import { InvalidArgumentError, Ipv4Address } from '@netlayers/core';

/** Anything that turns a host name into an address (DnsResolver does). */
export interface HostResolver {
  resolve(name: string): Promise<Ipv4Address>;
}

/** The address of `host`; a name without a resolver is an InvalidArgumentError naming it. */
export async function resolveHost(host: string | Ipv4Address, resolver: HostResolver | undefined): Promise<Ipv4Address> {
  if (host instanceof Ipv4Address) return host;
  const literal = Ipv4Address.tryParse(host);
  if (typeof literal !== 'string') return literal;
  if (resolver === undefined) throw new InvalidArgumentError('host', host, 'is a name, not an address; pass a resolver (e.g. a DnsResolver)');
  return resolver.resolve(host);
}
