import { describe, it, expect } from 'vitest';
import { Ipv4Address, Ipv4Cidr, InvalidAddressError, prefixMask } from '../src/index.ts';

describe('Ipv4Address', () => {
  it('parses and formats dotted quads', () => {
    const a = Ipv4Address.parse('192.168.1.20');
    expect(a.value).toBe(0xc0a80114);
    expect(a.toString()).toBe('192.168.1.20');
    expect(Ipv4Address.fromUint32(0xffffffff).isBroadcast).toBe(true);
    expect(Ipv4Address.parse('224.0.0.9').isMulticast).toBe(true);
  });

  it.each([
    ['10.0.0.300', /octet 4 is 300/],
    ['10.0.0', /four decimal octets/],
    ['10.0.0.1.2', /four decimal octets/],
    ['a.b.c.d', /four decimal octets/],
    ['010.0.0.1', /leading zero/],
    ['', /four decimal octets/],
    [' 10.0.0.2', /whitespace/],
    ['10.0.0.2 ', /whitespace/],
    ['10.0.0.2\n', /whitespace/],
    ['\t10.0.0.2', /whitespace/],
    ['10. 0.0.2', /four decimal octets/],
  ])('rejects %j with a typed error (%s)', (text, why) => {
    expect(() => Ipv4Address.parse(text)).toThrow(InvalidAddressError);
    expect(() => Ipv4Address.parse(text)).toThrow(why);
    expect(() => Ipv4Address.parse(text)).toThrow(JSON.stringify(text));
  });

  it('round-trips through bytes', () => {
    const buf = new Uint8Array(6);
    Ipv4Address.parse('10.1.2.3').writeTo(buf, 1);
    expect([...buf]).toEqual([0, 10, 1, 2, 3, 0]);
    expect(Ipv4Address.fromBytes(buf, 1).toString()).toBe('10.1.2.3');
  });
});

describe('Ipv4Cidr', () => {
  it('parses host/prefix and derives network, broadcast and mask', () => {
    const c = Ipv4Cidr.parse('10.0.1.5/24');
    expect(c.address.toString()).toBe('10.0.1.5');
    expect(c.network.toString()).toBe('10.0.1.0');
    expect(c.broadcast.toString()).toBe('10.0.1.255');
    expect(c.netmask.toString()).toBe('255.255.255.0');
    expect(c.contains(Ipv4Address.parse('10.0.1.200'))).toBe(true);
    expect(c.contains(Ipv4Address.parse('10.0.2.1'))).toBe(false);
  });

  it('handles /0 and /32', () => {
    expect(Ipv4Cidr.parse('0.0.0.0/0').contains(Ipv4Address.parse('8.8.8.8'))).toBe(true);
    expect(prefixMask(32)).toBe(0xffffffff);
    expect(Ipv4Cidr.parse('10.0.0.1/32').contains(Ipv4Address.parse('10.0.0.2'))).toBe(false);
  });

  it.each(['10.0.0.300/24', '10.0.0.1/33', '10.0.0.1', '10.0.0.1/', '10.0.0.1/x', ' 10.0.0.1/24', '10.0.0.1/24 ', '10.0.0.1 /24', '10.0.0.1/ 24'])('rejects %j', (text) => {
    expect(() => Ipv4Cidr.parse(text)).toThrow(InvalidAddressError);
    expect(() => Ipv4Cidr.parse(text)).toThrow(JSON.stringify(text));
  });
});
