// The foundation examples run end to end and show what they promise: ARP then ICMP (ping),
// one time-exceeded answer per hop (traceroute), fragments and reassembly (fragmentation).

import { describe, it, expect } from 'vitest';
import { main as ping } from '../ping.ts';
import { main as traceroute } from '../traceroute.ts';
import { main as fragmentation } from '../fragmentation.ts';

async function output(run: (write: (line: string) => void) => Promise<void>): Promise<string> {
  const lines: string[] = [];
  await run((line) => lines.push(line));
  return lines.join('\n');
}

describe('examples/ping.ts', () => {
  it('shows ARP resolution before the echo request and reply cross the switch', async () => {
    const out = await output(ping);
    const arpRequest = out.indexOf('ARP, Request who-has 10.0.0.2 tell 10.0.0.1');
    const arpReply = out.indexOf('ARP, Reply 10.0.0.2 is-at');
    const echoUp = out.search(/ b +network +↑ 10\.0\.0\.1 > 10\.0\.0\.2: ICMP echo request/);
    const replyUp = out.search(/ a +network +↑ 10\.0\.0\.2 > 10\.0\.0\.1: ICMP echo reply/);
    expect(arpRequest).toBeGreaterThan(0);
    expect(arpReply).toBeGreaterThan(arpRequest);
    expect(echoUp).toBeGreaterThan(arpReply);
    expect(replyUp).toBeGreaterThan(echoUp);
    expect(out).toMatch(/sw1 .* flood/);
    expect(out).toMatch(/first reply: .*"ok":true/);
    expect(out).toMatch(/"state":"REACHABLE"/);
  });
});

describe('examples/traceroute.ts', () => {
  it('finds each router in turn, then the destination', async () => {
    const out = await output((w) => traceroute(w, false));
    const hops = out.split('\n').filter((l) => /^\s+\d+\s+\d/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 2));
    expect(hops).toEqual([
      ['1', '10.0.0.1'],
      ['2', '10.0.1.2'],
      ['3', '10.0.2.3'],
      ['4', '10.0.3.10'],
    ]);
    expect(out).toMatch(/\(destination\)/);
  });
});

describe('examples/fragmentation.ts', () => {
  it('fragments a 4000-byte ping into three on 8-byte boundaries, reassembles it, and reports DF + too big', async () => {
    const out = await output(fragmentation);
    expect(out).toMatch(/into 3 fragments for MTU 1500/);
    expect(out).toMatch(/frag 1480@1480\+/);
    expect(out).toMatch(/frag 1048@2960,/);
    expect(out).toMatch(/reassembled 4028 bytes/);
    expect(out).toMatch(/reply of 4008 bytes/);
    expect(out).toMatch(/ICMP fragmentation needed .*mtu 1000/);
    expect(out).toMatch(/"reason":"too-big"/);
  });
});
