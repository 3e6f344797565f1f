// A transport written the way a student writes one: its own wire format (an 8-byte header
// under experimental IP protocol 200, RFC 3692) with a parse/emit pair, a few lines of
// sending and receiving over the IpService contract, and ONE registered dissector. Nothing
// in the trace package knows it; every picture must show it.

import { describe, expect, it } from 'vitest';
import { Ipv4Address, Packet, byteField, type DissectContext, type Dissector, type IpService, type LayerDissection } from '@netlayers/core';
import { Network } from '@netlayers/lab';
import { createDefaultDissectors } from '../src/dissectors.ts';
import { TraceRecorder } from '../src/recorder.ts';
import { buildLadder, ladder } from '../src/ladder/index.ts';
import { tcpdump } from '../src/tcpdump.ts';
import { buildLayerWalk, renderLayerWalk } from '../src/layer-walk.ts';
import { encapsulation } from '../src/encapsulation.ts';
import { describeEvent } from '../src/stepper.ts';

// ---- the student's protocol -------------------------------------------------------------
const TINY = 200;
interface TinySegment { sport: number; dport: number; seq: number; data: Uint8Array }

function parseTiny(bytes: Uint8Array): TinySegment | undefined {
  if (bytes.length < 8 || bytes[6] !== 0x7e) return undefined;
  const length = (bytes[4]! << 8) | bytes[5]!;
  if (8 + length > bytes.length) return undefined;
  return { sport: (bytes[0]! << 8) | bytes[1]!, dport: (bytes[2]! << 8) | bytes[3]!, seq: bytes[7]!, data: bytes.subarray(8, 8 + length) };
}

function emitTiny(s: TinySegment): Uint8Array {
  const out = new Uint8Array(8 + s.data.length);
  out.set([s.sport >> 8, s.sport & 0xff, s.dport >> 8, s.dport & 0xff, s.data.length >> 8, s.data.length & 0xff, 0x7e, s.seq]);
  out.set(s.data, 8);
  return out;
}

class TinyTransport {
  readonly received: string[] = [];
  constructor(private readonly ip: IpService, private readonly port: number, onMessage?: (from: Ipv4Address, s: TinySegment) => void) {
    ip.registerProtocol(TINY, (packet, info) => {
      const s = parseTiny(packet.bytes);
      if (s === undefined || s.dport !== this.port) return;
      this.received.push(new TextDecoder().decode(s.data));
      onMessage?.(info.source, s);
    });
  }
  send(to: string, dport: number, seq: number, text: string): void {
    const bytes = emitTiny({ sport: this.port, dport, seq, data: new TextEncoder().encode(text) });
    this.ip.send(Packet.from(bytes), { destination: Ipv4Address.parse(to), protocol: TINY });
  }
}

/** The one dissector: the student's parser, and what a picture needs. */
const tinyDissector: Dissector = {
  protocol: 'tiny',
  dissect(bytes: Uint8Array, context: DissectContext): LayerDissection | undefined {
    const s = parseTiny(bytes);
    if (s === undefined) return undefined;
    const src = context.network?.source ?? '?';
    const dst = context.network?.destination ?? '?';
    return {
      protocol: 'tiny',
      title: 'Tiny',
      role: 'transport',
      headerLength: 8,
      payloadLength: s.data.length,
      fields: [byteField('Source port', 0, 2, String(s.sport)), byteField('Destination port', 2, 2, String(s.dport)), byteField('Length', 4, 2, String(s.data.length)), byteField('Magic', 6, 1, '0x7e'), byteField('Seq', 7, 1, String(s.seq))],
      summary: `${src}.${s.sport} > ${dst}.${s.dport}: tiny seq ${s.seq}, length ${s.data.length}`,
      endpoints: { source: `${src}:${s.sport}`, destination: `${dst}:${s.dport}` },
      conversation: true,
      label: `tiny seq=${s.seq} len=${s.data.length}`,
      payloadRole: 'application',
    };
  },
};
// -------------------------------------------------------------------------------------------

function run(): { net: Network; recorder: TraceRecorder } {
  const net = new Network({ seed: 5 });
  const recorder = new TraceRecorder().record(net.trace);
  const sw = net.addSwitch('sw1');
  const r1 = net.addRouter('r1');
  const client = net.addHost('client', { gateway: '10.0.1.1' });
  const server = net.addHost('server', { gateway: '10.0.2.1' });
  net.connect([client, '10.0.1.10/24'], sw, { delay: '1ms' });
  net.connect([r1, '10.0.1.1/24'], sw, { delay: '1ms' });
  net.connect([r1, '10.0.2.1/24'], [server, '10.0.2.10/24'], { delay: '1ms' });
  const mine = new TinyTransport(client.ip, 7000);
  const serverSide: TinyTransport = new TinyTransport(server.ip, 9000, (from, s) => serverSide.send(from.toString(), s.sport, s.seq, `ack ${s.seq}`));
  net.runFor('10ms');
  mine.send('10.0.2.10', 9000, 1, 'hello student');
  net.runFor('50ms');
  mine.send('10.0.2.10', 9000, 2, 'second one');
  net.runUntilIdle();
  expect(mine.received).toEqual(['ack 1', 'ack 2']);
  return { net, recorder };
}

describe('a student\'s transport, with one registered dissector, in every picture', () => {
  const { recorder } = run();
  const events = recorder.events;
  const registry = createDefaultDissectors().register('ip.proto', TINY, tinyDissector);

  it('is invisible to the pictures until its dissector is registered (the control)', () => {
    expect(buildLadder(events).rows).toEqual([]);
    expect(tcpdump(events).some((l) => l.includes('tiny'))).toBe(false);
  });

  it('ladder: both participants with their endpoints, an arrow per message, each arriving', () => {
    const l = buildLadder(events, { dissectors: registry });
    expect(l.participants.map((p) => [p.node, p.endpoint])).toEqual([['client', '10.0.1.10:7000'], ['server', '10.0.2.10:9000']]);
    const arrows = l.rows.filter((r) => r.kind === 'arrow');
    expect(arrows.map((a) => (a.kind === 'arrow' ? [a.from, a.label, a.lost] : []))).toEqual([
      [0, 'tiny seq=1 len=13', false],
      [1, 'tiny seq=1 len=5', false],
      [0, 'tiny seq=2 len=10', false],
      [1, 'tiny seq=2 len=5', false],
    ]);
    for (const a of arrows) if (a.kind === 'arrow') expect(a.arrival!).toBeGreaterThan(a.time);
    expect(l.title).toContain('4 Transport layer');
    const text = ladder(events, { dissectors: registry, format: 'mermaid' });
    expect(text).toContain('participant client as client 10.0.1.10:7000');
    expect(text).toContain('client->>server: tiny seq=1 len=13');
  });

  it('tcpdump: one line per message at the sender, decoded by the student\'s dissector', () => {
    const lines = tcpdump(events, { dissectors: registry }).filter((l) => l.includes('tiny'));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\d\.\d{6} client IP 10\.0\.1\.10\.7000 > 10\.0\.2\.10\.9000: tiny seq 1, length 13$/);
  });

  it('layer walk: down the client, through the switch and the router, up the server', () => {
    const walk = buildLayerWalk(events, { dissectors: registry })!;
    expect(walk.incomplete).toBe(false);
    expect(walk.hops.map((h) => [h.node, h.kind])).toEqual([['client', 'sender'], ['sw1', 'switch'], ['r1', 'router'], ['server', 'receiver']]);
    expect(walk.hops[0]!.lines.map((l) => l.role)).toEqual(['application', 'transport', 'network', 'link', 'physical']);
    expect(walk.hops[0]!.lines[1]!.text).toBe('adds Tiny 8 B: tiny seq=1 len=13');
    expect(walk.hops[3]!.lines.map((l) => l.role)).toEqual(['physical', 'link', 'network', 'transport', 'application']);
    expect(renderLayerWalk(walk)).toContain('reads the message: 13 bytes "hello student"');
  });

  it('encapsulation: the student\'s header in the transport row, the right application byte count', () => {
    const frame = recorder.query().kind('frame').node('client').where((e) => e.action === 'tx' && registry.dissect(e.bytes).layers.some((x) => x.protocol === 'tiny')).first()!;
    const text = encapsulation(frame, { dissectors: registry });
    expect(text).toMatch(/4 Transport\s+\| Tiny 8 \|\s+data 13\s+\|/);
    expect(text).toContain('around 13 bytes of application data');
    expect(text).toMatch(/Tiny header, 8 bytes at frame offset 34 — 4 Transport layer/);
  });

  it('step mode: the frame carrying it is told in the student\'s words', () => {
    const frame = recorder.query().kind('frame').node('server').where((e) => e.action === 'rx' && registry.dissect(e.bytes).layers.some((x) => x.protocol === 'tiny')).first()!;
    expect(describeEvent(frame, 'tcpip-5', registry)).toMatch(/took a \d+-byte frame off the wire on eth0: 10\.0\.1\.10\.7000 > 10\.0\.2\.10\.9000: tiny seq 1, length 13$/);
  });
});
