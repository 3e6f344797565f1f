// captureEvents, captureHostEvents, captureConversations and interfaceLinkType over real
// captures (fixtures/captures, tcpdump on a veth: pcap, µs, no FCS) and over pcapng files the
// writer makes from the same frames (ns resolution, FCS kept and said by if_fcslen, several
// interfaces): the frames dissect the same either way, and nothing throws on any bytes.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32 } from '@netlayers/core';
import {
  captureConversations,
  captureEvents,
  captureHostEvents,
  captureStartNs,
  dissect,
  interfaceLinkType,
  isCaptureReadError,
  ladder,
  readCapture,
  writePcapng,
  type CaptureFile,
  type CapturedFrame,
} from '../src/index.ts';

const DIR = new URL('../../../fixtures/captures/', import.meta.url);

function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, DIR)));
}

function read(bytes: Uint8Array): CaptureFile {
  const file = readCapture(bytes);
  if (isCaptureReadError(file)) throw new Error(file.error);
  return file;
}

/** The frame with its Ethernet FCS appended (CRC-32, least significant byte first, IEEE 802.3 §3.2.9). */
function withFcs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 4);
  out.set(bytes);
  new DataView(out.buffer).setUint32(bytes.length, crc32(bytes), true);
  return out;
}

describe('interfaceLinkType', () => {
  it('maps Ethernet with and without FCS, and nothing else', () => {
    expect(interfaceLinkType({ linkType: 1, snaplen: 65535, fcsLength: 0 })).toBe('ethernet-nofcs');
    expect(interfaceLinkType({ linkType: 1, snaplen: 65535, fcsLength: 4 })).toBe('ethernet');
    expect(interfaceLinkType({ linkType: 1, snaplen: 65535, fcsLength: 2 })).toBeUndefined();
    expect(interfaceLinkType({ linkType: 105, snaplen: 65535, fcsLength: 0 })).toBeUndefined();
  });
});

describe('captureEvents', () => {
  const curl = read(fixtureBytes('http-curl.pcap'));

  it('gives one frame event per packet, times from the first packet, bytes as captured', () => {
    const events = captureEvents(curl);
    expect(events).toHaveLength(18);
    expect(events[0]).toMatchObject({ kind: 'frame', time: 0, node: 'if0', iface: 'if0', action: 'tx', linkType: 'ethernet-nofcs' });
    // 17:37:42.512372 and 17:37:42.647485 in tcpdump's output: 135113 µs apart.
    expect(events[2]!.time).toBe(135_113_000);
    expect(events[2]!.bytes).toBe(curl.packets[2]!.data);
    expect(captureStartNs(curl) % 1_000_000_000n).toBe(512_372_000n);
    // A sender-side 42-byte ARP request dissects without complaint.
    const arp = dissect(events[2]!);
    expect(arp.length).toBe(42);
    expect(arp.layers.map((l) => l.protocol)).toEqual(['ethernet', 'arp']);
    expect(arp.problems).toEqual([]);
  });

  it('reads a pcapng with FCS, nanosecond times and two interfaces the same way', () => {
    const frames: CapturedFrame[] = curl.packets.map((p, i) => ({
      time: Number(p.timestampNs - captureStartNs(curl)) + (i % 2), // odd nanoseconds: µs would lose them
      bytes: withFcs(p.data),
      interfaceName: i < 9 ? 'server:eth0' : 'client:eth0',
      direction: 'outbound',
    }));
    const file = read(writePcapng(frames, { epochNs: 1_700_000_000_000_000_000n }));
    expect(file.interfaces.map((i) => [i.name, i.fcsLength])).toEqual([['server:eth0', 4], ['client:eth0', 4]]);
    const events = captureEvents(file);
    expect(events.map((e) => e.iface)).toEqual(frames.map((f) => f.interfaceName));
    expect(events.every((e) => e.linkType === 'ethernet')).toBe(true);
    expect(events.map((e) => e.time)).toEqual(frames.map((f) => f.time));
    const plain = captureEvents(curl);
    events.forEach((e, i) => {
      const d = dissect(e);
      const layers = d.layers.map((l) => `${l.protocol} ${l.summary}`);
      expect(layers, `frame ${i + 1}`).toEqual(dissect(plain[i]!).layers.map((l) => `${l.protocol} ${l.summary}`));
      expect(d.layers[0]!.trailerLength, `frame ${i + 1}`).toBe(4);
    });
  });

  it('reads a classic pcap whose link-type field says the frames end in a 4-byte FCS (nanosecond magic)', () => {
    // Link-type field: LINKTYPE_ETHERNET, the F bit (28) and FCS length 2 (16-bit words) in bits 29-31.
    const packets = curl.packets.slice(4, 8).map((p) => withFcs(p.data));
    const out = new Uint8Array(24 + packets.reduce((n, p) => n + 16 + p.length, 0));
    const v = new DataView(out.buffer);
    v.setUint32(0, 0xa1b23c4d, false); // big-endian, nanoseconds
    v.setUint16(4, 2, false);
    v.setUint16(6, 4, false);
    v.setUint32(16, 65535, false);
    v.setUint32(20, (1 | 0x10000000 | (2 << 29)) >>> 0, false);
    let at = 24;
    packets.forEach((p, i) => {
      v.setUint32(at, 1_700_000_000, false);
      v.setUint32(at + 4, 999_999_000 + i, false);
      v.setUint32(at + 8, p.length, false);
      v.setUint32(at + 12, p.length, false);
      out.set(p, at + 16);
      at += 16 + p.length;
    });
    const file = read(out);
    expect(file.interfaces[0]!.fcsLength).toBe(4);
    const events = captureEvents(file);
    expect(events.map((e) => e.time)).toEqual([0, 1, 2, 3]);
    expect(events.every((e) => e.linkType === 'ethernet')).toBe(true);
    const d = dissect(events[1]!);
    expect(d.layers.map((l) => l.protocol)).toEqual(['ethernet', 'ipv4', 'tcp']);
    expect(d.problems).toEqual([]); // the RST: checksums and the FCS all correct
    expect(d.layers[0]!.fields.some((f) => /FCS/.test(f.name) && /correct/i.test(f.value))).toBe(true);
  });

  it('keeps frames of a link type it cannot dissect, each with that problem', () => {
    const file: CaptureFile = { format: 'pcap', interfaces: [{ linkType: 105, snaplen: 65535, fcsLength: 0 }], packets: curl.packets.slice(0, 2), problems: [] };
    const events = captureEvents(file);
    expect(events.map((e) => e.linkType)).toEqual(['linktype-105', 'linktype-105']);
    expect(dissect(events[0]!).problems.join(' ')).toMatch(/no dissector for link type linktype-105/);
  });

  it('notes a frame cut at the snaplen', () => {
    const p = curl.packets[6]!;
    const file: CaptureFile = { format: 'pcap', interfaces: curl.interfaces, packets: [{ ...p, data: p.data.subarray(0, 40) }], problems: [] };
    expect(captureEvents(file)[0]!.detail).toBe(`captured 40 of ${p.originalLength} bytes`);
  });
});

describe('captureConversations and captureHostEvents', () => {
  const curl = read(fixtureBytes('http-curl.pcap'));

  it('finds the two TCP connections of the curl capture with their frames', () => {
    expect(captureConversations(curl)).toEqual([
      { key: '10.77.0.2:48182-10.77.0.1:1', protocol: 'tcp', frames: [5, 6], firstFrame: 5, lastFrame: 6, payloadBytes: 0 },
      { key: '10.77.0.1:53326-10.77.0.2:8000', protocol: 'tcp', frames: [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], firstFrame: 7, lastFrame: 18, payloadBytes: 88 + 185 + 30 },
    ]);
  });

  it('sends each addressed frame from its source host to its destination, for a ladder between hosts', () => {
    const events = captureHostEvents(curl);
    // 18 frames, all with addresses (IPv6 ones by MAC): a tx and an rx each.
    expect(events).toHaveLength(36);
    expect(events[4]).toMatchObject({ node: '10.77.0.2', action: 'tx' });
    expect(events[5]).toMatchObject({ node: '10.77.0.1', action: 'rx' });
    const text = ladder(events, { connection: '10.77.0.1:53326-10.77.0.2:8000', relative: true });
    expect(text).toContain('10.77.0.1:53326');
    expect(text).toContain('SYN');
    expect(text).toContain('FIN');
    // Every arrow arrives (no lost crosses): 12 segments.
    expect(text.split('\n').filter((l) => /-->|<--/.test(l))).toHaveLength(12);
  });
});

describe('untrusted bytes', () => {
  const fixtures = ['http-curl.pcap', 'dns-dig.pcap', 'dhcp.pcap', 'ping-fragments.pcap', 'tcp-options.pcap', 'tap-bridge.pcap', 'dumpcap-http.pcapng'].map(fixtureBytes);

  function everything(bytes: Uint8Array): void {
    const file = readCapture(bytes);
    if (isCaptureReadError(file)) return;
    for (const e of captureEvents(file)) dissect(e);
    captureConversations(file);
    captureHostEvents(file);
  }

  it('never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => everything(bytes)), { numRuns: 300 });
  });

  it('never throws on truncated or corrupted real captures', () => {
    fc.assert(
      fc.property(fc.nat(fixtures.length - 1), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (which, cut, flips) => {
        const source = fixtures[which]!;
        const bytes = source.slice(0, 24 + (cut % (source.length - 23)));
        for (const [at, value] of flips) if (at % bytes.length >= 24) bytes[at % bytes.length] = value;
        everything(bytes);
      }),
      { numRuns: 200 },
    );
  });
});
