// Minimum-size frames through one learning switch: the sender computes each frame's FCS,
// the switch checks it (store-and-forward), learns, looks up and forwards.

import { createNodeContext, createSimulationContext, MacAddress, EtherType } from '@netlayers/core';
import { LearningSwitch, computeFcs, emitEthernetHeader } from '@netlayers/link';
import { BenchPort } from './bench-port.ts';
import { micro, type BenchResult, type BenchSuite } from './harness.ts';

export async function linkBenchmarks(): Promise<BenchResult[]> {
  const sim = createSimulationContext(1);
  const sw = new LearningSwitch(createNodeContext(sim, 'sw'));
  const ports = [new BenchPort('p0'), new BenchPort('p1')];
  for (const p of ports) sw.addPort(p);
  const a = MacAddress.parse('02:00:00:00:00:0a');
  const b = MacAddress.parse('02:00:00:00:00:0b');
  const frame = new Uint8Array(64);
  const learnB = new Uint8Array(64);
  emitEthernetHeader({ destination: a, source: b, etherType: EtherType.IPv4 }, learnB);
  writeFcs(learnB);
  ports[1]!.deliver(learnB);
  emitEthernetHeader({ destination: b, source: a, etherType: EtherType.IPv4 }, frame);

  const result = await micro('switch: 64-byte frames, FCS computed and checked', 'frames/s', () => {
    const n = 50_000;
    const before = ports[1]!.stats.txFrames;
    for (let i = 0; i < n; i++) {
      frame[14] = i & 0xff;
      frame[15] = (i >>> 8) & 0xff;
      writeFcs(frame);
      ports[0]!.deliver(frame);
    }
    if (ports[1]!.stats.txFrames - before !== n) throw new Error('switch did not forward every frame');
    return n;
  }, { target: 500_000 });
  return [result];
}

function writeFcs(frame: Uint8Array): void {
  const fcs = computeFcs(frame, 0, 60);
  frame[60] = fcs & 0xff;
  frame[61] = (fcs >>> 8) & 0xff;
  frame[62] = (fcs >>> 16) & 0xff;
  frame[63] = fcs >>> 24;
}

export const suite: BenchSuite = { name: 'switch', description: '64-byte frames through a LearningSwitch, FCS computed by the bench and checked by the switch', run: linkBenchmarks };
