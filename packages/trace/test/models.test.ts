// Every renderer honours the model (issue 9, item 6): the ladder (text, Mermaid, SVG), the
// layer walk, step mode and the encapsulation view name and group layers as the chosen
// model does — TCP/IP five-layer, four-layer (RFC 1122), the four lower layers, OSI seven —
// with a golden picture per model. Before, tcpip-4 and osi-7 gave byte-identical ladders.

import { describe, expect, it } from 'vitest';
import { LAYER_MODELS, getModel, type ModelId } from '@netlayers/core';
import { ladder } from '../src/ladder/index.ts';
import { buildLayerWalk, renderLayerWalk } from '../src/layer-walk.ts';
import { encapsulation } from '../src/encapsulation.ts';
import { describeEvent } from '../src/stepper.ts';
import { expectGolden } from './support/golden.ts';
import { textbookEvents } from './support/textbook.ts';
import { realExchange } from './support/real-run.ts';
import { tcpFrame } from './support/frames.ts';

const MODELS = Object.keys(LAYER_MODELS) as ModelId[];

describe('the layer models', () => {
  it('are tcpip-5, tcpip-4, tcpip-4-lower and osi-7, each with a note on what it means', () => {
    expect(MODELS).toEqual(['tcpip-5', 'tcpip-4', 'tcpip-4-lower', 'osi-7']);
    for (const id of MODELS) expect(getModel(id).note.length).toBeGreaterThan(40);
    const lower = getModel('tcpip-4-lower');
    expect(lower.layers.filter((l) => !l.aboveStack).map((l) => `${l.number} ${l.name}`)).toEqual(['4 Transport', '3 Network', '2 Link', '1 Physical']);
    expect(lower.layers.find((l) => l.aboveStack)?.roles).toEqual(['application']);
  });
});

describe('every renderer honours the model', () => {
  const textbook = textbookEvents().events;
  const real = realExchange().events;
  const walk = buildLayerWalk(real)!;
  const frame = tcpFrame({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }, { src: '10.0.1.10', dst: '10.0.2.10', id: 7 }, { sport: 49152, dport: 80, seq: 1, ack: 1, flags: ['PSH', 'ACK'], win: 65535, payload: new TextEncoder().encode('GET / HTTP/1.0\r\n\r\n') });

  for (const model of MODELS) {
    it(`draws the ladder, Mermaid, layer walk and encapsulation in ${model} (golden)`, () => {
      expectGolden(`models/ladder-${model}.txt`, ladder(textbook, { model, width: 100 }));
      expectGolden(`models/ladder-nodes-${model}.txt`, ladder(textbook, { model, nodes: ['client', 'server'], width: 100 }));
      expectGolden(`models/mermaid-${model}.mmd`, ladder(textbook, { model, format: 'mermaid' }));
      expectGolden(`models/layer-walk-${model}.txt`, renderLayerWalk(walk, { model }));
      expectGolden(`models/encapsulation-${model}.txt`, encapsulation(frame, { model, fields: false }));
    });
  }

  it('gives different pictures for different models, tcpip-4 and osi-7 included', () => {
    for (const format of ['text', 'mermaid', 'svg'] as const) {
      const pictures = MODELS.map((model) => ladder(textbook, { model, format }));
      expect(new Set(pictures).size, format).toBe(MODELS.length);
      const twoNode = MODELS.map((model) => ladder(textbook, { model, format, nodes: ['client', 'server'] }));
      expect(new Set(twoNode).size, `${format}, two nodes`).toBe(MODELS.length);
    }
    expect(new Set(MODELS.map((model) => renderLayerWalk(walk, { model }))).size).toBe(MODELS.length);
    expect(new Set(MODELS.map((model) => encapsulation(frame, { model })).values()).size).toBe(MODELS.length);
  });

  it('names the layer of every arrow and step in the model', () => {
    expect(ladder(textbook, { model: 'tcpip-4' })).toContain('(3 Transport layer, TCP/IP four-layer model (RFC 1122))');
    expect(ladder(textbook, { model: 'osi-7', format: 'mermaid' })).toContain('Note over client,server: 4 Transport layer, OSI seven-layer reference model');
    expect(ladder(textbook, { model: 'tcpip-4-lower', nodes: ['client', 'server'] })).toContain('[4 Transport] TCP SYN seq=0 len=0');
    const frameEvent = textbook.find((e) => e.kind === 'frame')!;
    expect(describeEvent(frameEvent, 'tcpip-4')).toContain('Link (network access) layer (PHY)');
    expect(describeEvent(frameEvent, 'osi-7')).toContain('Physical layer (PHY)');
    const app = { kind: 'note' as const, time: 0, node: 'h', role: 'application' as const, protocol: 'http', message: 'hi' };
    expect(describeEvent(app, 'tcpip-4-lower')).toBe('at 0.000000 s, on node h, (Application process) (HTTP): hi');
  });
});
