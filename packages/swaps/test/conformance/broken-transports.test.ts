// The stream suite's new cases catch the bugs they are meant to catch, and fail with a
// message that teaches. Each deliberately broken transport is our go-back-N (window 8) with
// one bug put in by a saboteur standing between it and the network: one that never checks
// its checksum (the saboteur re-checksums every arriving segment, so corruption is invisible
// to it) and one whose receiver acknowledges one segment too many (an ACK off-by-one).
import { describe, expect, it } from 'vitest';
import { finishChecksum, onesComplementSum, Packet, pseudoHeaderSum, type IcmpErrorHandler, type IpProtocolHandler, type IpSendOptions, type IpService, type Ipv4Address, type NodeContext, type UnreachableCode, type IpReceiveInfo } from '@netlayers/core';
import { runStreamTransportCase, streamTransportCases, SuiteFailure, type StreamTransportFactory } from '@netlayers/testing';
import { ArqFlag, ARQ_HEADER_LENGTH, GO_BACK_N_PROTOCOL, GoBackNTransport } from '../../src/transport/index.ts';

type Bug = 'ignores-checksum' | 'ack-off-by-one';

function writeChecksum(bytes: Uint8Array, source: Ipv4Address, destination: Ipv4Address): void {
  bytes[14] = 0;
  bytes[15] = 0;
  const sum = finishChecksum(onesComplementSum(bytes, 0, bytes.length, pseudoHeaderSum(source.value, destination.value, GO_BACK_N_PROTOCOL, bytes.length)));
  bytes[14] = sum >>> 8;
  bytes[15] = sum & 0xff;
}

/** An IpService that passes everything through, except for the one bug it adds. */
class Saboteur implements IpService {
  constructor(
    private readonly inner: IpService,
    private readonly bug: Bug,
  ) {}

  send(payload: Packet, options: IpSendOptions) {
    if (this.bug !== 'ack-off-by-one') return this.inner.send(payload, options);
    const bytes = payload.toBytes();
    // A pure ACK (no data, no SYN/FIN): acknowledge one more segment than arrived.
    if (bytes.length === ARQ_HEADER_LENGTH && bytes[12] === ArqFlag.ACK) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      view.setUint32(8, (view.getUint32(8) + 1) >>> 0);
      writeChecksum(bytes, options.source ?? this.inner.sourceAddressFor(options.destination)!, options.destination);
    }
    return this.inner.send(Packet.wrap(bytes), options);
  }

  registerProtocol(protocol: number, handler: IpProtocolHandler, onError?: IcmpErrorHandler): void {
    const wrapped: IpProtocolHandler =
      this.bug === 'ignores-checksum'
        ? (packet, info) => {
            const bytes = packet.toBytes();
            if (bytes.length >= ARQ_HEADER_LENGTH) writeChecksum(bytes, info.source, info.destination);
            handler(Packet.wrap(bytes), info);
          }
        : handler;
    this.inner.registerProtocol(protocol, wrapped, onError);
  }

  sourceAddressFor(destination: Ipv4Address) {
    return this.inner.sourceAddressFor(destination);
  }

  isLocalAddress(address: Ipv4Address) {
    return this.inner.isLocalAddress(address);
  }

  mtuTowards(destination: Ipv4Address) {
    return this.inner.mtuTowards(destination);
  }

  sendUnreachable(info: IpReceiveInfo, code: UnreachableCode): void {
    this.inner.sendUnreachable(info, code);
  }
}

const broken = (bug: Bug): StreamTransportFactory => (node: NodeContext, ip: IpService) => new GoBackNTransport(node, new Saboteur(ip, bug), { window: 8 });

/** Names of the cases (lossy ones included) that `factory` fails. */
function failing(factory: StreamTransportFactory): string[] {
  const names: string[] = [];
  for (const c of streamTransportCases(factory, { lossy: true })) {
    try {
      runStreamTransportCase(c.name, factory);
    } catch (error) {
      expect(error).toBeInstanceOf(SuiteFailure);
      names.push(c.name);
    }
  }
  return names;
}

function failureOf(name: string, factory: StreamTransportFactory): SuiteFailure {
  try {
    runStreamTransportCase(name, factory);
  } catch (error) {
    if (error instanceof SuiteFailure) return error;
    throw error;
  }
  throw new Error(`case "${name}" passed`);
}

describe('a go-back-N that never checks its checksum', () => {
  it('fails the corrupted-segment case, and only that case', () => {
    expect(failing(broken('ignores-checksum'))).toEqual(['discards corrupted segments: the checksum is checked and the bytes still arrive exactly']);
  });

  it('is told which rule it broke, with the RFC, what arrived instead, and the trace', () => {
    const failure = failureOf('discards corrupted', broken('ignores-checksum'));
    expect(failure.message).toMatch(/^stream transport conformance › discards corrupted segments/);
    expect(failure.message).toMatch(/rule: {5}every segment carries a checksum .* \(RFC 9293 §3\.1 \(Checksum\), RFC 1122 §4\.2\.2\.7\)/);
    expect(failure.message).toMatch(/expected: 60000 bytes at the server, identical to those written/);
    expect(failure.message).toMatch(/actual: {3}60000 bytes arrived; first difference at byte \d+: expected 0x[0-9a-f]{2}, got 0x[0-9a-f]{2}/);
    expect(failure.message).toMatch(/last trace events \(tcpdump style, oldest first\):\n {4}\d+\.\d{6} (client|server) go-back-n /);
    expect(failure.message).toMatch(/\n {4}\d+\.\d{6} server go-back-n < 10\.0\.0\.1\.\d+ > 10\.0\.0\.2\.7000: Flags \[\.\], seq \d+, ack \d+, length 1440/);
    expect(failure.message).toMatch(/hint: {5}verify the checksum/);
    expect(failure.message).toContain('see:      docs/swap-a-layer.md, "When a suite case fails"');
  });
});

describe('a go-back-N (window 8) whose receiver acknowledges one segment too many', () => {
  it('passes every case on a clean network, as before, but fails the ACK-arithmetic case and the other impaired ones', () => {
    const names = failing(broken('ack-off-by-one'));
    const clean = streamTransportCases(broken('ack-off-by-one')).map((c) => c.name);
    expect(names.filter((n) => clean.includes(n))).toEqual([]);
    // Before, only the mixed lossy case caught it (9 of 10 passed); now four cases do, one of
    // them (ACK arithmetic) by design, on every seed.
    expect(names).toEqual([
      'delivers exactly and in order over a lossy, reordering, duplicating network',
      'discards corrupted segments: the checksum is checked and the bytes still arrive exactly',
      'puts reordered segments back in order',
      'ACK arithmetic: recovers from losses at chosen places (catches ACK off-by-ones)',
    ]);
  });

  it('is told that an ACK names the next sequence number expected, and what it waited for', () => {
    const failure = failureOf('ACK arithmetic', broken('ack-off-by-one'));
    expect(failure.message).toMatch(/rule: {5}an ACK names the next sequence number expected; .* \(RFC 9293 §3\.4, §3\.10\.7\.4 \(fifth, check the ACK field\)\)/);
    expect(failure.message).toMatch(/expected: the server to get all 40000 bytes and 'end', and the client 3000 bytes, within 600\.000000 s of virtual time/);
    expect(failure.message).toMatch(/actual: {3}still not so after \d+\.\d{6} s of virtual time/);
    expect(failure.message).toMatch(/hint: {5}an ACK of n means 'everything before n arrived'/);
  });
});
