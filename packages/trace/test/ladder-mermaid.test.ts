import { describe, expect, it } from 'vitest';
import mermaid from 'mermaid';
import { buildLadder } from '../src/ladder/model.ts';
import { renderLadderMermaid } from '../src/ladder/mermaid.ts';
import { textbookEvents } from './support/textbook.ts';

describe('renderLadderMermaid', () => {
  it('is a sequenceDiagram the Mermaid parser accepts, with a message per segment and notes for states', async () => {
    const { events } = textbookEvents();
    const text = renderLadderMermaid(buildLadder(events));
    await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'sequence' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    expect(lines.filter((l) => l.includes('->>'))).toHaveLength(9);
    expect(lines).toContain('  client->>server: SYN seq=0 len=0 at 0.000000');
    expect(lines).toContain('  Note right of server: LISTEN');
    expect(lines).toContain('  Note left of client: TIME-WAIT at 0.012000');
    expect(lines).toContain('  Note left of client: 2*MSL = 1 min');
  });

  it('draws a lost segment as a cross and still parses', async () => {
    const { events } = textbookEvents({ loseRequest: true });
    const text = renderLadderMermaid(buildLadder(events), { times: false });
    await mermaid.parse(text);
    expect(text).toContain('client-xserver: PSH,ACK seq=1 ack=1 len=18 [lost: impairment: loss]');
    expect(text).toContain('client->>server: [retransmission] PSH,ACK seq=1 ack=1 len=18');
  });

  it('sanitises node names and text Mermaid would choke on', async () => {
    const { events } = textbookEvents();
    const model = buildLadder(events);
    const odd = { ...model, title: 'a;b#c', participants: [{ ...model.participants[0], node: '1st-host' }, { ...model.participants[1], node: 'srv.example' }] as const };
    const text = renderLadderMermaid(odd);
    await mermaid.parse(text);
    expect(text).toContain('participant A_1st_host as 1st-host 10.0.1.10:49152');
  });

  it('is rejected by the parser when broken (the parser really checks)', async () => {
    await expect(mermaid.parse('sequenceDiagram\n  client->>: nothing')).rejects.toThrow();
  });
});
