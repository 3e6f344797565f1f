// One clock for every picture (issue 9, item 4): on a run with ARP, loss and reordering,
// the tcpdump lines, the ladder's arrows, the Mermaid times and the step log of one capture
// point (client eth0) agree frame by frame with the pcapng of that capture point, read back
// from its bytes: same frames, same order, same nanoseconds.

import { describe, expect, it } from 'vitest';
import { Network } from '@netlayers/lab';
import { TraceRecorder } from '../src/recorder.ts';
import { capture } from '../src/pcap.ts';
import { readCapture, isCaptureReadError } from '../src/capture-reader.ts';
import { tcpdump } from '../src/tcpdump.ts';
import { buildLadder, renderLadderMermaid } from '../src/ladder/index.ts';
import { recordSteps } from '../src/stepper.ts';
import { defaultDissectors } from '../src/dissectors.ts';
import { createLineState, tcpdumpText } from '../src/tcpdump-line.ts';
import { formatSeconds } from '../src/format.ts';

function run(): { net: Network; recorder: TraceRecorder; pcap: Uint8Array; steps: ReturnType<typeof recordSteps> } {
  const net = new Network({ seed: 11 });
  const recorder = new TraceRecorder().record(net.trace);
  const cap = capture(net.trace, { node: 'client', iface: 'eth0', format: 'pcapng' });
  const steps = recordSteps(net);
  const sw = net.addSwitch('sw1');
  const r1 = net.addRouter('r1');
  const client = net.addHost('client', { gateway: '10.0.1.1', tcp: { initialSequenceNumber: 0 } });
  const server = net.addHost('server', { gateway: '10.0.2.1', tcp: { initialSequenceNumber: 0 } });
  net.connect([client, '10.0.1.10/24'], sw, { delay: '1ms' });
  net.connect([r1, '10.0.1.1/24'], sw, { delay: '1ms' });
  net.connect([r1, '10.0.2.1/24'], [server, '10.0.2.10/24'], { delay: '1ms', impairments: { loss: 0.15, reorder: { probability: 0.3, delay: '3ms' } } });
  server.tcp.listen({ port: 80 }).on('connection', (s) => {
    s.on('data', () => s.write(new Uint8Array(6000)));
    s.on('end', () => s.end());
  });
  const socket = client.tcp.connect({ remoteAddress: '10.0.2.10', remotePort: 80 });
  let got = 0;
  socket.on('connect', () => socket.write(new Uint8Array(3000)));
  socket.on('data', (chunk) => {
    got += chunk.length;
    if (got >= 6000) socket.end();
  });
  net.runFor('60s');
  cap.stop();
  steps.detach();
  return { net, recorder, pcap: cap.bytes(), steps };
}

describe('one clock: every picture of client eth0 agrees with its pcapng, frame by frame', () => {
  const { recorder, pcap, steps } = run();
  const events = recorder.events;
  const file = readCapture(pcap);
  if (isCaptureReadError(file)) throw new Error(file.error);
  const packets = file.packets.map((p) => ({ time: Number(p.timestampNs), bytes: p.data }));
  const registry = defaultDissectors();

  it('is a run with ARP, loss and reordering', () => {
    expect(file.problems).toEqual([]);
    expect(packets.length).toBeGreaterThan(20);
    const bodies = packets.map((p) => tcpdumpText(registry.dissect(p.bytes)));
    expect(bodies.some((b) => b.startsWith('ARP, Request'))).toBe(true);
    expect(events.some((e) => e.kind === 'frame' && e.action === 'lost')).toBe(true);
    expect(events.some((e) => e.kind === 'drop' && e.reason === 'impairment')).toBe(true);
    // Reordering: the server numbers its datagrams (IPv4 identification) in sending order;
    // the client took one in after a later one (a retransmission gets a new, higher number).
    const ids = events
      .filter((e) => e.kind === 'frame' && e.node === 'client' && e.action === 'rx')
      .map((e) => (e.kind === 'frame' ? registry.dissect(e.bytes).layers.find((l) => l.protocol === 'ipv4')?.header : undefined))
      .filter((h) => h !== undefined && h.protocol === 'ipv4' && h.source === '10.0.2.10')
      .map((h) => (h !== undefined && h.protocol === 'ipv4' ? h.identification : 0));
    expect(ids.some((v, i) => i > 0 && v < ids[i - 1]!)).toBe(true);
  });

  it('tcpdump lines: one per captured frame, same time (µs), same decoding of the same bytes', () => {
    const lines = tcpdump(events, { node: 'client', iface: 'eth0' });
    expect(lines).toHaveLength(packets.length);
    const state = createLineState();
    lines.forEach((line, i) => {
      const p = packets[i]!;
      expect(line).toBe(`${formatSeconds(p.time)} client eth0 ${tcpdumpText(registry.dissect(p.bytes), state)}`);
    });
  });

  it('ladder: every arrow the client sent leaves at a captured outbound time, every arrival at the client is a captured inbound time', () => {
    const ladder = buildLadder(events);
    const arrows = ladder.rows.filter((r) => r.kind === 'arrow');
    expect(arrows.length).toBeGreaterThan(10);
    const outbound = new Map<number, Uint8Array[]>();
    for (const p of packets) outbound.set(p.time, [...(outbound.get(p.time) ?? []), p.bytes]);
    for (const a of arrows) {
      if (a.kind !== 'arrow') continue;
      const at = a.from === 0 ? a.time : a.arrival;
      if (at === undefined) continue; // lost before the client
      const frame = events[a.from === 0 ? a.index : a.arrivalIndex!]!;
      expect(frame.kind).toBe('frame');
      const same = (outbound.get(at) ?? []).some((b) => frame.kind === 'frame' && b.length === frame.bytes.length && b.every((x, j) => x === frame.bytes[j]));
      expect(same, `${a.label} at ${formatSeconds(at)}`).toBe(true);
    }
    // The client's first segment leaves after the ARP exchange, as in the capture.
    const syn = arrows[0]!;
    const firstTcp = packets.find((p) => registry.dissect(p.bytes).layers.some((l) => l.protocol === 'tcp'))!;
    expect(syn.time).toBe(firstTcp.time);
    expect(syn.time).toBeGreaterThan(packets[0]!.time);
  });

  it('Mermaid shows the same send times', () => {
    const ladder = buildLadder(events);
    const mermaid = renderLadderMermaid(ladder);
    const sent = ladder.rows.filter((r) => r.kind === 'arrow' && r.from === 0);
    const times = [...mermaid.matchAll(/^ {2}\w+-[x>]>?\w+: .* at (\d+\.\d{6})$/gm)].map((m) => m[1]);
    for (const a of sent) expect(times).toContain(formatSeconds(a.time));
    for (const a of sent) expect(packets.some((p) => formatSeconds(p.time) === formatSeconds(a.time))).toBe(true);
  });

  it('step mode tells each frame at the capture point at its captured time', () => {
    const told = steps.steps().flatMap((s) => s.events).filter((e) => e.kind === 'frame' && e.node === 'client' && e.iface === 'eth0' && (e.action === 'tx' || e.action === 'rx'));
    expect(told.map((e) => e.time)).toEqual(packets.map((p) => p.time));
  });
});
