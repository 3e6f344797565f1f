import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ipv4Address, MacAddress, isWireError, type WireError } from '@netlayers/core';
import { BOOTREPLY, BOOTREQUEST, DhcpMessageType, dhcpMessage, dhcpMessageTypeName, emitDhcpMessage, parseDhcpMessage, type DhcpMessage } from '../src/dhcp/message.ts';

const mac = MacAddress.parse('02:00:00:00:00:0a');
const ip = (s: string) => Ipv4Address.parse(s);

const ACK: DhcpMessage = dhcpMessage({
  op: BOOTREPLY,
  xid: 0xdeadbeef,
  chaddr: mac,
  secs: 3,
  flags: 0x8000,
  yiaddr: ip('10.0.1.100'),
  siaddr: ip('10.0.1.1'),
  sname: 'dhcp.lab',
  options: {
    messageType: DhcpMessageType.DHCPACK,
    serverId: ip('10.0.1.1'),
    leaseTime: 3600,
    renewalTime: 1800,
    rebindingTime: 3150,
    subnetMask: ip('255.255.255.0'),
    routers: [ip('10.0.1.1')],
    dnsServers: [ip('10.0.2.53'), ip('10.0.2.54')],
    hostName: 'client',
    message: 'welcome',
    clientId: Uint8Array.of(1, 2, 0, 0, 0, 0, 0, 10),
    other: [{ code: 15, data: new TextEncoder().encode('lab') }],
  },
});

describe('DHCP message codec', () => {
  it('lays out the BOOTP fixed part, the magic cookie and the options (RFC 2131 Figure 1)', () => {
    const bytes = emitDhcpMessage(ACK);
    expect(bytes.length).toBeGreaterThanOrEqual(300);
    expect([...bytes.subarray(0, 4)]).toEqual([2, 1, 6, 0]);
    expect([...bytes.subarray(4, 8)]).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect([...bytes.subarray(16, 20)]).toEqual([10, 0, 1, 100]);
    expect([...bytes.subarray(28, 34)]).toEqual([2, 0, 0, 0, 0, 10]);
    expect([...bytes.subarray(236, 240)]).toEqual([99, 130, 83, 99]);
    expect([...bytes.subarray(240, 243)]).toEqual([53, 1, 5]); // message type first
  });

  it('round-trips every option it knows and keeps unknown ones', () => {
    expect(parseDhcpMessage(emitDhcpMessage(ACK))).toEqual(ACK);
  });

  it('concatenates a split option (RFC 3396) and skips pad bytes', () => {
    const base = emitDhcpMessage(dhcpMessage({ op: BOOTREQUEST, xid: 1, chaddr: mac, options: {} }));
    const bytes = base.slice();
    bytes.set([0, 0, 53, 1, 1, 6, 4, 10, 0, 0, 1, 0, 6, 4, 10, 0, 0, 2, 255], 240);
    const parsed = parseDhcpMessage(bytes) as DhcpMessage;
    expect(parsed.options.messageType).toBe(DhcpMessageType.DHCPDISCOVER);
    expect(parsed.options.dnsServers?.map(String)).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  const withOptions = (options: number[]): Uint8Array => {
    const bytes = emitDhcpMessage(dhcpMessage({ op: BOOTREQUEST, xid: 1, chaddr: mac, options: {} }));
    const out = bytes.slice(0, 240 + options.length);
    out.set(options, 240);
    return out;
  };
  const invalid: [string, Uint8Array, string][] = [
    ['shorter than the fixed part', new Uint8Array(239), 'truncated'],
    ['bad op', (() => { const b = emitDhcpMessage(ACK); b[0] = 3; return b; })(), 'malformed'],
    ['not Ethernet', (() => { const b = emitDhcpMessage(ACK); b[1] = 6; return b; })(), 'malformed'],
    ['no magic cookie', (() => { const b = emitDhcpMessage(ACK); b[239] = 0; return b; })(), 'malformed'],
    ['option past the end', withOptions([53, 5, 1]), 'bad-option'],
    ['option without length byte', withOptions([53]), 'bad-option'],
    ['no end option', withOptions([53, 1, 1]), 'bad-option'],
    ['message type of length 2', withOptions([53, 2, 1, 1, 255]), 'bad-option'],
    ['subnet mask of 3 bytes', withOptions([1, 3, 255, 255, 255, 255]), 'bad-option'],
    ['router list of 6 bytes', withOptions([3, 6, 1, 2, 3, 4, 5, 6, 255]), 'bad-option'],
    ['lease time of 2 bytes', withOptions([51, 2, 1, 1, 255]), 'bad-option'],
    ['empty parameter request list', withOptions([55, 0, 255]), 'bad-option'],
  ];
  it.each(invalid)('rejects %s', (_name, bytes, reason) => {
    const result = parseDhcpMessage(bytes);
    expect(isWireError(result)).toBe(true);
    expect((result as WireError).reason).toBe(reason);
  });

  it('refuses values that cannot be encoded', () => {
    expect(() => emitDhcpMessage({ ...ACK, options: { leaseTime: -1 } })).toThrow(/leaseTime/);
    expect(() => emitDhcpMessage({ ...ACK, sname: 'x'.repeat(64) })).toThrow(/sname/);
  });

  it('never throws on 10,000 random or mutated messages', () => {
    // fast-check: random bytes (a third of the runs), or a prefix of a valid ACK with 1-4
    // option bytes rewritten; a failure shrinks to a minimal input.
    const valid = emitDhcpMessage(ACK);
    const mutated = fc
      .tuple(fc.integer({ min: 200, max: valid.length }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }))
      .map(([length, edits]) => {
        const input = valid.slice(0, length);
        for (const [at, value] of edits) if (input.length > 236) input[236 + (at % (input.length - 236))] = value;
        return input;
      });
    let ok = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: fc.uint8Array({ maxLength: 400, size: 'max' }), weight: 1 }, { arbitrary: mutated, weight: 2 }), (input) => {
        if (!isWireError(parseDhcpMessage(input))) ok++;
      }),
      { numRuns: 10_000 },
    );
    expect(ok).toBeGreaterThan(0);
  });
});

// A DHCPDISCOVER dhclient sent (fixtures/captures/dhcp.pcap, frame 1: the UDP payload, 300
// bytes): options 53 (type 1), 12 (host name), 55 (parameter request list), end.
const REAL_DISCOVER = Uint8Array.from(
  Buffer.from(
    '0101060054342b670000000000000000000000000000000000000000020000000c010000000000000000000000000000000000000000000000000000' +
    '000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000' +
    '000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000' +
    '000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000063825363' +
    '3501010c02766d370d011c02030f06770c2c2f1a792aff00000000000000000000000000000000000000000000000000000000000000000000000000',
    'hex',
  ),
);

describe('message types this codec does not act on', () => {
  const withType = (type: number): Uint8Array => {
    const bytes = REAL_DISCOVER.slice();
    expect([bytes[240], bytes[241]]).toEqual([53, 1]);
    bytes[242] = type;
    return bytes;
  };

  it('parses the real DISCOVER', () => {
    const m = parseDhcpMessage(REAL_DISCOVER) as DhcpMessage;
    expect(isWireError(m)).toBe(false);
    expect([m.options.messageType, m.options.hostName, m.chaddr.toString()]).toEqual([DhcpMessageType.DHCPDISCOVER, 'vm', '02:00:00:00:0c:01']);
  });

  it('keeps the RFC 4388 leasequery types 10-13, named, and any other octet as a number', () => {
    const seen = [10, 11, 12, 13, 9, 18, 0, 19, 200].map((type) => {
      const m = parseDhcpMessage(withType(type));
      if (isWireError(m)) throw new Error(m.detail);
      return [m.options.messageType, dhcpMessageTypeName(m.options.messageType)];
    });
    expect(seen).toEqual([
      [10, 'DHCPLEASEQUERY'],
      [11, 'DHCPLEASEUNASSIGNED'],
      [12, 'DHCPLEASEUNKNOWN'],
      [13, 'DHCPLEASEACTIVE'],
      [9, 'DHCPFORCERENEW'],
      [18, 'DHCPTLS'],
      [0, 'DHCP-type-0'],
      [19, 'DHCP-type-19'],
      [200, 'DHCP-type-200'],
    ]);
  });

  it('writes an unknown type back as it was, and refuses one that is not an octet', () => {
    const m = parseDhcpMessage(withType(12)) as DhcpMessage;
    expect((parseDhcpMessage(emitDhcpMessage(m)) as DhcpMessage).options.messageType).toBe(12);
    expect(() => emitDhcpMessage({ ...m, options: { messageType: 256 } })).toThrow(/messageType 256: must be an octet/);
  });

  it('still rejects an option 53 that is not one octet', () => {
    const bytes = REAL_DISCOVER.slice();
    bytes[241] = 2;
    expect((parseDhcpMessage(bytes) as WireError).reason).toBe('bad-option');
  });
});
