// VXLAN wire format (RFC 7348 section 5): the header's exact bytes, round trips, and parse
// rejecting what a VTEP must not accept, without ever throwing.

import { describe, it, expect } from 'vitest';
import { DropReason, Random, isWireError } from '@netlayers/core';
import { VXLAN_FLAG_I, VXLAN_HEADER_LENGTH, encapsulateVxlan, parseVxlan, vxlanSummary } from '../src/index.ts';

const inner = Uint8Array.from({ length: 60 }, (_, i) => i);

describe('VXLAN wire', () => {
  it('emits the I flag, zero reserved fields and the VNI big-endian in bytes 4..6', () => {
    const packet = encapsulateVxlan({ vni: 0x123456 }, inner);
    expect([...packet.subarray(0, 8)]).toEqual([0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0]);
    expect(packet.subarray(8)).toEqual(inner);
  });

  it('parses what it emits, with the inner frame as a view', () => {
    const parsed = parseVxlan(encapsulateVxlan({ vni: 42 }, inner));
    if (isWireError(parsed)) throw new Error(parsed.detail);
    expect(parsed.vni).toBe(42);
    expect(parsed.flags).toBe(VXLAN_FLAG_I);
    expect(parsed.payload).toEqual(inner);
    expect(vxlanSummary(parsed)).toBe('VXLAN, flags [I] (0x08), vni 42');
  });

  it('ignores reserved bits on receipt but requires the I flag', () => {
    const packet = encapsulateVxlan({ vni: 7 }, inner);
    packet[0] = 0xff;
    packet[3] = 0xaa;
    packet[7] = 0x55;
    const parsed = parseVxlan(packet);
    expect(isWireError(parsed) ? parsed.reason : parsed.vni).toBe(7);
    packet[0] = 0xf7;
    const noI = parseVxlan(packet);
    expect(isWireError(noI) && noI.reason).toBe(DropReason.Malformed);
  });

  it('rejects a short header and a missing inner Ethernet header as truncated', () => {
    const short = parseVxlan(new Uint8Array([0x08, 0, 0, 0]));
    expect(isWireError(short) && short.reason).toBe(DropReason.Truncated);
    const empty = parseVxlan(encapsulateVxlan({ vni: 1 }, new Uint8Array(10)));
    expect(isWireError(empty) && empty.reason).toBe(DropReason.Truncated);
  });

  it('refuses a VNI outside 24 bits with a typed error', () => {
    expect(() => encapsulateVxlan({ vni: 1 << 24 }, inner)).toThrow(/vni/);
    expect(() => encapsulateVxlan({ vni: -1 }, inner)).toThrow(/vni/);
  });

  it('never throws on 10,000 random inputs', () => {
    const random = new Random('vxlan-fuzz');
    for (let i = 0; i < 10_000; i++) {
      const bytes = Uint8Array.from({ length: random.int(0, 40) }, () => random.int(0, 255));
      if (i % 2 === 0 && bytes.length > 0) bytes[0]! |= VXLAN_FLAG_I;
      const parsed = parseVxlan(bytes);
      if (!isWireError(parsed)) expect(parsed.payload.length).toBe(bytes.length - VXLAN_HEADER_LENGTH);
    }
  });
});
