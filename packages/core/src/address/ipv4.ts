// IPv4 addresses and prefixes (RFC 791 addressing, RFC 4632 CIDR notation). Values are
// immutable; `value` is the address as an unsigned 32-bit integer, usable as a map key.
// `fromBytes` hands back a recently seen instance for the same address (a small direct-mapped
// cache, as MacAddress does), so parsing a datagram allocates nothing for its two addresses.

import { InvalidAddressError } from '../errors.ts';

const RECENT_SLOTS = 256;

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A direct-mapped cache of addresses `fromBytes` made recently (deterministic, bounded). */
const RECENT: (Ipv4Address | undefined)[] = new Array<Ipv4Address | undefined>(RECENT_SLOTS).fill(undefined);

/** An IPv4 address. Construct with `Ipv4Address.parse("10.0.0.1")` or `fromUint32`. */
export class Ipv4Address {
  static readonly ANY = new Ipv4Address(0);
  static readonly BROADCAST = new Ipv4Address(0xffffffff);

  private constructor(readonly value: number) {}

  /** Parse dotted-quad text; throws InvalidAddressError naming the bad value. */
  static parse(text: string): Ipv4Address {
    const result = Ipv4Address.tryParse(text);
    if (typeof result === 'string') throw new InvalidAddressError(String(text), result);
    return result;
  }

  /** Parse dotted-quad text; returns the reason as a string instead of throwing. */
  static tryParse(text: string): Ipv4Address | string {
    if (typeof text !== 'string') return 'expected a dotted-quad string such as "10.0.0.1"';
    if (text.trim() !== text) return 'has leading or trailing whitespace';
    const m = DOTTED.exec(text);
    if (m === null) return 'expected four decimal octets separated by dots, such as "10.0.0.1"';
    let value = 0;
    for (let i = 1; i <= 4; i++) {
      const part = m[i]!;
      const octet = Number(part);
      if (octet > 255) return `octet ${i} is ${octet}; each octet must be 0 to 255`;
      if (part.length > 1 && part.startsWith('0')) return `octet ${i} "${part}" has a leading zero (ambiguous: octal or decimal)`;
      value = value * 256 + octet;
    }
    return new Ipv4Address(value);
  }

  /** From an unsigned 32-bit integer (network order value). */
  static fromUint32(value: number): Ipv4Address {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new InvalidAddressError(String(value), 'an IPv4 address is an integer from 0 to 4294967295');
    }
    return new Ipv4Address(value >>> 0);
  }

  /** Read four bytes at `offset` (network byte order). The caller checks bounds. */
  static fromBytes(bytes: Uint8Array, offset = 0): Ipv4Address {
    const value = ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
    const slot = (value ^ (value >>> 8)) & (RECENT_SLOTS - 1);
    const recent = RECENT[slot];
    if (recent !== undefined && recent.value === value) return recent;
    const address = new Ipv4Address(value);
    RECENT[slot] = address;
    return address;
  }

  /** Accept an address or its text form (convenience for public APIs). */
  static from(input: Ipv4Address | string): Ipv4Address {
    return input instanceof Ipv4Address ? input : Ipv4Address.parse(input);
  }

  writeTo(bytes: Uint8Array, offset = 0): void {
    const v = this.value;
    bytes[offset] = v >>> 24;
    bytes[offset + 1] = (v >>> 16) & 0xff;
    bytes[offset + 2] = (v >>> 8) & 0xff;
    bytes[offset + 3] = v & 0xff;
  }

  equals(other: Ipv4Address): boolean {
    return this.value === other.value;
  }

  get isUnspecified(): boolean {
    return this.value === 0;
  }
  get isBroadcast(): boolean {
    return this.value === 0xffffffff;
  }
  get isMulticast(): boolean {
    return this.value >>> 28 === 0xe;
  }
  get isLoopback(): boolean {
    return this.value >>> 24 === 127;
  }

  toString(): string {
    const v = this.value;
    return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
  }
  toJSON(): string {
    return this.toString();
  }
}

/** Netmask for a prefix length, as an unsigned 32-bit integer. */
export function prefixMask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/**
 * An address with a prefix length: "10.0.1.5/24". Serves both as an interface address
 * (`address` is the host) and as a route prefix (`network`, `contains`).
 */
export class Ipv4Cidr {
  readonly mask: number;
  private constructor(readonly address: Ipv4Address, readonly prefixLength: number) {
    this.mask = prefixMask(prefixLength);
  }

  static parse(text: string): Ipv4Cidr {
    if (typeof text !== 'string') throw new InvalidAddressError(String(text), 'expected CIDR text such as "10.0.0.1/24"');
    const slash = text.indexOf('/');
    if (slash < 0) throw new InvalidAddressError(text, 'expected address/prefix, such as "10.0.0.1/24"');
    const addr = Ipv4Address.tryParse(text.slice(0, slash));
    if (typeof addr === 'string') throw new InvalidAddressError(text, addr);
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) {
      throw new InvalidAddressError(text, `prefix length "${prefixText}" must be a whole number from 0 to 32`);
    }
    return new Ipv4Cidr(addr, Number(prefixText));
  }

  static of(address: Ipv4Address, prefixLength: number): Ipv4Cidr {
    if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
      throw new InvalidAddressError(`${address}/${prefixLength}`, 'prefix length must be a whole number from 0 to 32');
    }
    return new Ipv4Cidr(address, prefixLength);
  }

  static from(input: Ipv4Cidr | string): Ipv4Cidr {
    return input instanceof Ipv4Cidr ? input : Ipv4Cidr.parse(input);
  }

  /** The network address (host bits cleared). */
  get network(): Ipv4Address {
    return Ipv4Address.fromUint32((this.address.value & this.mask) >>> 0);
  }
  /** The directed broadcast address of the prefix. */
  get broadcast(): Ipv4Address {
    return Ipv4Address.fromUint32((this.address.value | ~this.mask) >>> 0);
  }
  get netmask(): Ipv4Address {
    return Ipv4Address.fromUint32(this.mask);
  }

  contains(address: Ipv4Address): boolean {
    return ((address.value ^ this.address.value) & this.mask) === 0;
  }

  toString(): string {
    return `${this.address}/${this.prefixLength}`;
  }
  toJSON(): string {
    return this.toString();
  }
}
