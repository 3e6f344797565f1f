import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildLadder } from '../src/ladder/model.ts';
import { renderLadderSvg } from '../src/ladder/svg.ts';
import { textbookEvents } from './support/textbook.ts';

interface Node {
  [key: string]: unknown;
}

function texts(svg: string): string[] {
  const parsed = new XMLParser({ ignoreAttributes: false, parseTagValue: false, textNodeName: '#text', isArray: (name) => name === 'text' || name === 'line' || name === 'path' || name === 'rect' }).parse(svg) as { svg: Node };
  return ((parsed.svg['text'] as (Node | string)[]) ?? []).map((t) => (typeof t === 'string' ? t : String(t['#text'] ?? '')));
}

describe('renderLadderSvg', () => {
  it('is well-formed standalone SVG holding every label, state and time', () => {
    const { events } = textbookEvents();
    const svg = renderLadderSvg(buildLadder(events));
    expect(XMLValidator.validate(svg)).toBe(true);
    const labels = texts(svg);
    for (const expected of ['client', 'server', '10.0.1.10:49152', 'SYN seq=0 len=0', 'SYN,ACK seq=0 ack=1 len=0', 'FIN,ACK seq=20 ack=20 len=0', 'SYN-SENT', 'SYN-RECEIVED', 'FIN-WAIT-2', 'TIME-WAIT', 'LAST-ACK', 'CLOSE-WAIT', '2*MSL = 1 min', '60.012000']) {
      expect(labels).toContain(expected);
    }
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg: Node };
    expect(parsed.svg['@_xmlns']).toBe('http://www.w3.org/2000/svg');
  });

  it('slopes arrows from send to arrival and stops a lost one at an X', () => {
    const { events } = textbookEvents({ loseRequest: true });
    const svg = renderLadderSvg(buildLadder(events));
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(texts(svg)).toContain('PSH,ACK seq=1 ack=1 len=18 [lost: impairment: loss]');
    const arrowLines = [...svg.matchAll(/<line x1="(\d+)" y1="(\d+)" x2="([\d.]+)" y2="([\d.]+)"[^>]*marker-end/g)];
    expect(arrowLines.length).toBe(9);
    expect(arrowLines.every((m) => Number(m[4]) > Number(m[2]))).toBe(true);
    expect(svg).toMatch(/<path d="M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ M/);
  });

  it('escapes markup in labels', () => {
    const { events } = textbookEvents();
    const model = buildLadder(events, { title: '<script>&"' });
    const svg = renderLadderSvg(model);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('&lt;script&gt;&amp;&quot;');
  });
});
