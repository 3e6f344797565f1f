import { describe, it, expect } from 'vitest';
import { MacAddress, InvalidAddressError, Random } from '../src/index.ts';

describe('MacAddress', () => {
  it('parses, formats and keys addresses', () => {
    const m = MacAddress.parse('02:00:5E:10:00:01');
    expect(m.toString()).toBe('02:00:5e:10:00:01');
    expect(m.key).toBe(0x02005e100001);
    expect(MacAddress.fromKey(m.key).equals(m)).toBe(true);
    const buf = new Uint8Array(8);
    m.writeTo(buf, 2);
    expect(MacAddress.keyAt(buf, 2)).toBe(m.key);
    expect(MacAddress.fromBytes(buf, 2).toString()).toBe('02:00:5e:10:00:01');
  });

  it('knows broadcast and multicast', () => {
    expect(MacAddress.BROADCAST.isBroadcast).toBe(true);
    expect(MacAddress.parse('01:00:5e:00:00:01').isMulticast).toBe(true);
    expect(MacAddress.parse('02:00:00:00:00:01').isMulticast).toBe(false);
  });

  it('draws locally administered unicast addresses from a seeded generator', () => {
    const a = MacAddress.random(new Random(5));
    expect(a.equals(MacAddress.random(new Random(5)))).toBe(true);
    expect(a.isMulticast).toBe(false);
    expect(a.bytes()[0]! & 0x02).toBe(0x02);
  });

  it.each(['02:00:00:00:00', '02:00:00:00:00:0g', '0200.0000.0001', '02:00:00:00:00:100', ' 02:00:00:00:00:01', '02:00:00:00:00:01\n'])('rejects %j', (text) => {
    expect(() => MacAddress.parse(text)).toThrow(InvalidAddressError);
  });
});
