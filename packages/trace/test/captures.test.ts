// Every frame of the real captures in fixtures/captures (made with tcpdump, curl, dig,
// dnsmasq, dhclient and ping; see the README there) through the layers' own parsers: none
// throws, each frame is parsed or rejected with a reason, and what they hold reads back as
// tcpdump printed it (unpadded ARP and RST frames, DNS names in their original case, DHCP
// message types, MPTCP and TFO options by name, HTTP messages rebuilt from the TCP payloads).

import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isWireError } from '@netlayers/core';
import { parseIpv4 } from '@netlayers/network';
import { HttpRequestParser, HttpResponseParser, isHttpParseError, dhcpMessageTypeName, type HttpRequest, type HttpResponse } from '@netlayers/application';
import { isCaptureReadError, readCapture, LINKTYPE_ETHERNET } from '../src/capture-reader.ts';
import { parseCapturedFrame, type ParsedFrame } from './support/parse-captured-frame.ts';

const DIR = new URL('../../../fixtures/captures/', import.meta.url);

/** A fixture read with the trace package's capture reader: its link type and its frames. */
function load(name: string): { linkType: number; records: { bytes: Uint8Array }[] } {
  const file = readCapture(new Uint8Array(readFileSync(new URL(name, DIR))));
  if (isCaptureReadError(file)) throw new Error(`${name}: ${file.error}`);
  if (file.problems.length > 0) throw new Error(`${name}: ${file.problems.join('; ')}`);
  return { linkType: file.interfaces[0]!.linkType, records: file.packets.map((p) => ({ bytes: p.data })) };
}

function parseAll(name: string): ParsedFrame[] {
  return load(name).records.map((r) => parseCapturedFrame(r.bytes));
}

const fixtures = readdirSync(DIR).filter((f) => /\.pcap(ng)?$/.test(f));

describe('real captures through the layer parsers', () => {
  it('has the fixtures, each with its tcpdump -nn output beside it', () => {
    expect(fixtures.sort()).toEqual(['dhcp.pcap', 'dns-dig.pcap', 'dumpcap-http.pcapng', 'http-bulk.pcap', 'http-curl.pcap', 'loopback.pcap', 'ping-fragments.pcap', 'tap-bridge.pcap', 'tcp-options.pcap']);
    for (const f of fixtures) {
      const lines = readFileSync(new URL(f.replace(/\.pcap(ng)?$/, '.txt'), DIR), 'utf8').trim().split('\n');
      expect(lines.length, f).toBe(load(f).records.length);
    }
  });

  it.each(fixtures)('%s: every frame parses or is rejected with a reason, and nothing throws', (name) => {
    const file = load(name);
    expect(file.linkType).toBe(LINKTYPE_ETHERNET);
    const outcomes = file.records.map((r, i) => {
      let parsed: ParsedFrame;
      try {
        parsed = parseCapturedFrame(r.bytes);
      } catch (error) {
        throw new Error(`${name} frame ${i + 1} threw: ${String(error)}`);
      }
      expect(parsed.layers[0], `${name} frame ${i + 1}`).toBe('ethernet');
      if (parsed.rejected !== undefined) expect(parsed.rejected.detail.length).toBeGreaterThan(0);
      return parsed;
    });
    // The only frames not parsed are IPv6 (these layers are IPv4 only), rejected as such.
    for (const o of outcomes.filter((p) => p.rejected !== undefined)) {
      expect(o.rejected).toMatchObject({ layer: 'ethernet', reason: 'unknown-protocol', detail: expect.stringMatching(/0x86dd/) });
    }
  });

  it('reads the unpadded frames of a sender-side capture: 42-byte ARP and a 54-byte RST', () => {
    const file = load('http-curl.pcap');
    const small = file.records.filter((r) => r.bytes.length < 60);
    expect(small.map((r) => r.bytes.length).sort()).toEqual([42, 42, 54]);
    const parsed = small.map((r) => parseCapturedFrame(r.bytes));
    expect(parsed.map((p) => p.layers.join('/'))).toEqual(expect.arrayContaining(['ethernet/arp', 'ethernet/ipv4/tcp']));
    expect(parsed.every((p) => p.rejected === undefined)).toBe(true);
  });

  it('reads the DNS questions and answers dig and dnsmasq exchanged, names in their original case', () => {
    const dns = parseAll('dns-dig.pcap').flatMap((p) => (p.dns === undefined ? [] : [p.dns]));
    expect(dns).toHaveLength(10);
    expect(dns.filter((m) => !m.response).map((m) => m.questions[0]!.name)).toEqual(['www.Example.Lab', 'Alias.Example.Lab', 'example.lab', 'example.lab', 'nothere.example.lab']);
    const answers = dns.filter((m) => m.response).flatMap((m) => m.answers.map((a) => ('address' in a.data ? String(a.data.address) : 'host' in a.data ? a.data.host : 'texts' in a.data ? a.data.texts.join('|') : 'exchange' in a.data ? a.data.exchange : '?')));
    expect(answers).toEqual(['10.77.0.80', 'www.example.lab', 'mail.example.lab', 'v=spf1 -all|hello world']);
  });

  it('reads the DHCP exchange dhclient and dnsmasq had, type by type', () => {
    const types = parseAll('dhcp.pcap').flatMap((p) => (p.dhcp === undefined ? [] : [dhcpMessageTypeName(p.dhcp.options.messageType)]));
    expect(types).toEqual(['DHCPDISCOVER', 'DHCPOFFER', 'DHCPREQUEST', 'DHCPACK', 'DHCPRELEASE']);
  });

  it('names the MPTCP and TCP Fast Open options of real SYNs', () => {
    const names = new Set(parseAll('tcp-options.pcap').flatMap((p) => (p.tcp?.options.others ?? []).map((o) => o.name)));
    expect([...names].sort()).toEqual(['mptcp', 'tfo']);
  });

  it('rebuilds the HTTP request and response of curl and python3 -m http.server from the TCP payloads', () => {
    const frames = parseAll('http-curl.pcap').filter((p) => p.tcp !== undefined && p.tcp.payload.length > 0);
    const requests = new HttpRequestParser();
    const responses = new HttpResponseParser();
    responses.expectResponseTo('GET');
    const out: (HttpRequest | HttpResponse)[] = [];
    for (const p of frames) {
      const items = p.tcp!.destinationPort === 8000 ? requests.push(p.tcp!.payload) : responses.push(p.tcp!.payload);
      for (const item of items) {
        if (isHttpParseError(item)) throw new Error(item.detail);
        out.push(item);
      }
    }
    const last = responses.finish();
    if (last !== null && !isHttpParseError(last)) out.push(last);
    const request = out.find((m): m is HttpRequest => 'method' in m)!;
    const response = out.find((m): m is HttpResponse => 'status' in m)!;
    expect([request.method, request.target, request.headers.get('host')]).toEqual(['GET', '/index.html', '10.77.0.2:8000']);
    expect([response.status, new TextDecoder().decode(response.body)]).toEqual([200, 'hello from netlayers fixtures\n']);
  });

  it('reads the kernel side of the TAP bridge: the emulator pads its frames to 60 bytes, the kernel does not', () => {
    const file = load('tap-bridge.pcap');
    const parsed = file.records.map((r) => parseCapturedFrame(r.bytes));
    expect(parsed.every((p) => p.rejected === undefined)).toBe(true);
    // Frame 1 is the emulator's ARP request (padded, as a NIC pads), frame 2 the kernel's reply (not yet padded).
    expect(file.records.slice(0, 2).map((r) => r.bytes.length)).toEqual([60, 42]);
    expect(parsed.slice(0, 2).map((p) => p.layers.join('/'))).toEqual(['ethernet/arp', 'ethernet/arp']);
    expect(parsed.filter((p) => p.layers.includes('icmp'))).toHaveLength(10);
    expect(parsed.filter((p) => p.tcp !== undefined).map((p) => p.tcp!.payload.length).filter((n) => n > 0)).toEqual([22, 21, 8, 8]);
  });

  it('reads the pcapng dumpcap wrote: nanosecond timestamps, an interface block with options, and every frame', () => {
    const file = readCapture(new Uint8Array(readFileSync(new URL('dumpcap-http.pcapng', DIR))));
    if (isCaptureReadError(file)) throw new Error(file.error);
    expect([file.format, file.problems]).toEqual(['pcapng', []]);
    expect(file.interfaces).toEqual([expect.objectContaining({ linkType: LINKTYPE_ETHERNET, name: 'vc', fcsLength: 0 })]);
    expect(file.packets).toHaveLength(18);
    // dumpcap's if_tsresol is 9: timestamps carry nanoseconds that tcpdump's microseconds round away.
    expect(file.packets.some((p) => p.timestampNs % 1000n !== 0n)).toBe(true);
    const parsed = file.packets.map((p) => parseCapturedFrame(p.data));
    expect(parsed.every((p) => p.rejected === undefined)).toBe(true);
    expect(parsed.filter((p) => p.tcp?.destinationPort === 8080 && p.tcp.payload.length > 0).map((p) => new TextDecoder().decode(p.tcp!.payload).split('\r\n')[0])).toEqual(['GET /index.html HTTP/1.1']);
  });

  it('reads every fragment of the 4000-byte pings, the first as ICMP', () => {
    const parsed = parseAll('ping-fragments.pcap');
    expect(parsed.every((p) => p.rejected === undefined)).toBe(true);
    expect(parsed.filter((p) => p.layers.includes('icmp'))).toHaveLength(6); // 4 first fragments + 1 small request and reply
  });

  it('reads an offloaded segment whose total length the driver left 0, as Wireshark does', () => {
    // The largest segment of the bulk download (tens of KB: segmentation offload is on),
    // with total length and header checksum zeroed as a driver leaves them for the NIC.
    const file = load('http-bulk.pcap');
    const biggest = file.records.reduce((a, b) => (b.bytes.length > a.bytes.length ? b : a));
    const asCaptured = parseCapturedFrame(biggest.bytes);
    expect(biggest.bytes.length).toBeGreaterThan(20_000);
    const frame = biggest.bytes.slice();
    frame.set([0, 0], 14 + 2);
    frame.set([0, 0], 14 + 10);
    const strict = parseIpv4(frame.subarray(14));
    expect(isWireError(strict) && strict.reason).toBe('bad-length');
    const parsed = parseCapturedFrame(frame);
    expect(parsed.tsoZeroLength).toBe(true);
    expect(parsed.layers).toEqual(['ethernet', 'ipv4', 'tcp']);
    expect(parsed.tcp!.payload).toEqual(asCaptured.tcp!.payload);
    expect(parsed.tcp!.payload.length).toBe(biggest.bytes.length - 14 - 20 - 32);
  });
});
