// 48-bit IEEE 802 MAC addresses. `key` is the address as a number (exact below 2^53), so
// switch tables and ARP caches can use plain Map<number, ...>. Values are immutable, so
// `fromBytes` hands back a recently seen instance for the same address: parsing a frame
// then allocates nothing for its two addresses.

import { InvalidAddressError } from '../errors.ts';
import type { Random } from '../random.ts';

const RECENT_SLOTS = 256;

export class MacAddress {
  static readonly BROADCAST = new MacAddress(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
  static readonly ZERO = new MacAddress(new Uint8Array(6));

  /** The address as a 48-bit integer. */
  readonly key: number;
  private readonly octets: Uint8Array;

  private constructor(octets: Uint8Array) {
    this.octets = octets;
    this.key = octets[0]! * 2 ** 40 + octets[1]! * 2 ** 32 + ((octets[2]! << 24) >>> 0) + (octets[3]! << 16) + (octets[4]! << 8) + octets[5]!;
  }

  /** Parse "02:00:00:00:00:01" (also accepts '-' separators); throws InvalidAddressError. */
  static parse(text: string): MacAddress {
    if (typeof text !== 'string') throw new InvalidAddressError(String(text), 'expected text such as "02:00:00:00:00:01"');
    if (text.trim() !== text) throw new InvalidAddressError(text, 'has leading or trailing whitespace');
    const parts = text.split(/[:-]/);
    if (parts.length !== 6) throw new InvalidAddressError(text, 'expected six hexadecimal octets separated by ":"');
    const octets = new Uint8Array(6);
    for (let i = 0; i < 6; i++) {
      const p = parts[i]!;
      if (!/^[0-9a-fA-F]{1,2}$/.test(p)) throw new InvalidAddressError(text, `octet ${i + 1} "${p}" is not one or two hex digits`);
      octets[i] = parseInt(p, 16);
    }
    return new MacAddress(octets);
  }

  /** Copy six bytes at `offset`. The caller checks bounds. */
  static fromBytes(bytes: Uint8Array, offset = 0): MacAddress {
    if (!(offset >= 0 && offset + 6 <= bytes.length)) return new MacAddress(bytes.slice(offset, offset + 6));
    const key = MacAddress.keyAt(bytes, offset);
    const slot = (bytes[offset + 5]! ^ (bytes[offset + 4]! << 2) ^ (bytes[offset + 3]! << 4)) & (RECENT_SLOTS - 1);
    const recent = RECENT[slot];
    if (recent !== undefined && recent.key === key) return recent;
    const mac = new MacAddress(bytes.slice(offset, offset + 6));
    RECENT[slot] = mac;
    return mac;
  }

  /** From a 48-bit integer. */
  static fromKey(key: number): MacAddress {
    if (!Number.isInteger(key) || key < 0 || key >= 2 ** 48) throw new InvalidAddressError(String(key), 'a MAC address is a 48-bit integer');
    const o = new Uint8Array(6);
    let v = key;
    for (let i = 5; i >= 0; i--) {
      o[i] = v % 256;
      v = Math.floor(v / 256);
    }
    return new MacAddress(o);
  }

  static from(input: MacAddress | string): MacAddress {
    return input instanceof MacAddress ? input : MacAddress.parse(input);
  }

  /** A locally administered unicast address (02:xx:...) drawn from `random`. */
  static random(random: Random): MacAddress {
    const o = random.bytes(6);
    o[0] = (o[0]! & 0xfc) | 0x02;
    return new MacAddress(o);
  }

  /** Read the 48-bit key straight from bytes without allocating. */
  static keyAt(bytes: Uint8Array, offset: number): number {
    return bytes[offset]! * 2 ** 40 + bytes[offset + 1]! * 2 ** 32 + ((bytes[offset + 2]! << 24) >>> 0) + (bytes[offset + 3]! << 16) + (bytes[offset + 4]! << 8) + bytes[offset + 5]!;
  }

  writeTo(bytes: Uint8Array, offset = 0): void {
    const o = this.octets;
    bytes[offset] = o[0]!;
    bytes[offset + 1] = o[1]!;
    bytes[offset + 2] = o[2]!;
    bytes[offset + 3] = o[3]!;
    bytes[offset + 4] = o[4]!;
    bytes[offset + 5] = o[5]!;
  }

  bytes(): Uint8Array {
    return this.octets.slice();
  }

  equals(other: MacAddress): boolean {
    return this.key === other.key;
  }

  get isBroadcast(): boolean {
    return this.key === 0xffffffffffff;
  }
  /** Group bit (I/G) set: broadcast or multicast. */
  get isMulticast(): boolean {
    return (this.octets[0]! & 1) === 1;
  }

  toString(): string {
    let s = '';
    for (let i = 0; i < 6; i++) s += (i ? ':' : '') + this.octets[i]!.toString(16).padStart(2, '0');
    return s;
  }
  toJSON(): string {
    return this.toString();
  }
}

/** A direct-mapped cache of addresses `fromBytes` made recently (deterministic, bounded). */
const RECENT: (MacAddress | undefined)[] = new Array<MacAddress | undefined>(RECENT_SLOTS).fill(undefined);
