import { describe, expect, it } from 'vitest';
import { buildLayerWalk, layerWalk, renderLayerWalk } from '../src/layer-walk.ts';
import { realExchange } from './support/real-run.ts';
import { textbookEvents } from './support/textbook.ts';

describe('layer walk', () => {
  it('follows the request down the client, through the switch (link only) and the router (TTL-1), up the server', () => {
    const { events } = realExchange();
    const walk = buildLayerWalk(events)!;
    expect(walk.incomplete).toBe(false);
    expect(walk.hops.map((h) => [h.node, h.kind])).toEqual([['client', 'sender'], ['sw1', 'switch'], ['r1', 'router'], ['server', 'receiver']]);
    expect(walk.hops[0]!.lines.map((l) => l.role)).toEqual(['application', 'transport', 'network', 'link', 'physical']);
    expect(walk.hops[1]!.lines.map((l) => l.role)).toEqual(['physical', 'link', 'physical']);
    expect(walk.hops[2]!.lines.map((l) => l.role)).toEqual(['physical', 'link', 'network', 'link', 'physical']);
    expect(walk.hops[2]!.lines[2]!.text).toContain('TTL 64 -> 63');
    expect(walk.hops[3]!.lines.map((l) => l.role)).toEqual(['physical', 'link', 'network', 'transport', 'application']);
    expect(walk.hops[3]!.lines[2]!.text).toContain('TTL 63');
    expect(walk.hops[3]!.lines[4]!.text).toContain('HTTP message: 32 bytes "GET / HTTP/1.1');
    // Times never run backwards along the path.
    const times = walk.hops.flatMap((h) => h.lines.map((l) => l.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('names the layers in the chosen model', () => {
    const { events } = realExchange();
    const walk = buildLayerWalk(events)!;
    const four = renderLayerWalk(walk, { model: 'tcpip-4' });
    expect(four).toContain('1 Link (network access)');
    expect(four).toContain('2 Internet');
    expect(four).not.toContain('Physical');
    const osi = renderLayerWalk(walk, { model: 'osi-7' });
    expect(osi).toMatch(/6 Presentation +\(no layer of its own in TCP\/IP: done by the application\)/);
    expect(osi).toContain('2 Data link');
    expect(renderLayerWalk(walk)).toContain('r1 (router: up to the network layer and back down)');
  });

  it('stops where a message was lost', () => {
    const { events } = textbookEvents({ loseRequest: true });
    const walk = buildLayerWalk(events)!;
    expect(walk.incomplete).toBe(true);
    expect(walk.hops.at(-1)!.lines[0]!.text).toContain('lost on the medium after eth0 (impairment: loss)');
    expect(layerWalk([], {})).toBe('Layer walk: no frame with a network layer in the trace.\n');
  });
});
