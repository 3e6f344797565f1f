// The swap examples (examples/swap-transport.ts, distance-vector.ts, csma-cd.ts,
// four-layer.ts) run end to end on the real stack and show what they promise.
import { describe, expect, it } from 'vitest';
import { countToInfinity, main as distanceVector } from '../distance-vector.ts';
import { transfer } from '../swap-transport.ts';
import { run as csmaCd } from '../csma-cd.ts';
import { main as fourLayer } from '../four-layer.ts';
import { GoBackNTransport, StopAndWaitTransport } from '@netlayers/swaps';

async function output(run: (write: (line: string) => void) => Promise<void>): Promise<string> {
  const lines: string[] = [];
  await run((line) => lines.push(line));
  return lines.join('\n');
}

describe('examples/distance-vector.ts', () => {
  it('learns every route with no static routes, and finds the way round a cut cable', async () => {
    const out = await output(distanceVector);
    const [before, after] = out.split('-- cutting r4–r1 --');
    expect(before).toMatch(/192\.168\.3\.0\/24\s+metric\s+3\s+via 10\.0\.41\.4 on eth2/);
    expect(before).toMatch(/ping h1 → h3: reply, ttl 61/);
    expect(after).toMatch(/192\.168\.3\.0\/24: metric 3 via 10\.0\.41\.4 on eth2 → unreachable \(metric 16\) \(eth2 down\)/);
    expect(after).toMatch(/192\.168\.3\.0\/24\s+metric\s+3\s+via 10\.0\.12\.2 on eth1/);
    expect(after).toMatch(/ping h1 → h3: reply, ttl 61/);
  });

  it('counts to infinity on the real stack when split horizon and triggered updates are off', () => {
    const metrics = countToInfinity(() => undefined);
    // r2 drops to 16, believes r1's stale 3 (+1), and the two climb in turn until 16.
    expect(metrics.slice(0, 2)).toEqual([16, 4]);
    expect(metrics.slice(2, -2)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(metrics.slice(-2)).toEqual([16, 16]);
  });
});

describe('examples/swap-transport.ts', () => {
  it('moves the same bytes over TCP, go-back-N and stop-and-wait; stop-and-wait pays one round trip per segment', () => {
    const tcp = transfer('tcp', undefined, 60_000);
    const gbn = transfer('gbn', { stream: (node, ip) => new GoBackNTransport(node, ip, { window: 16, timeout: '60ms' }) }, 60_000);
    const saw = transfer('saw', { stream: (node, ip) => new StopAndWaitTransport(node, ip, { timeout: '60ms' }) }, 60_000);
    for (const r of [tcp, gbn, saw]) expect([r.delivered, r.exact]).toEqual([60_000, true]);
    // 20 ms round trip: at least one per data segment for stop-and-wait.
    const dataSegments = Math.ceil(60_000 / 1464);
    expect(saw.milliseconds).toBeGreaterThanOrEqual(dataSegments * 20);
    expect(saw.milliseconds).toBeGreaterThan(2 * gbn.milliseconds);
  });
});

describe('examples/csma-cd.ts', () => {
  it('delivers every datagram over the shared bus, after collisions and deferrals', () => {
    const report = csmaCd();
    expect(report.received).toBe(report.sent);
    expect(report.collisions).toBeGreaterThan(0);
    expect(report.deferrals).toBeGreaterThan(0);
    expect(report.excessiveCollisionDrops).toBe(0);
  });
});

describe('examples/four-layer.ts', () => {
  it('shows a four-layer stack and a ping whose trace has network and network-access roles only', async () => {
    const out = await output(fourLayer);
    expect(out).toMatch(/1 {2}Link \(network access\) {2}PPP in HDLC-like framing/);
    expect(out).toMatch(/r1 +network-access +↑ PPP IPv4, length 84/);
    expect(out).toMatch(/result: reply from 10\.0\.2\.10, ttl 63/);
    expect(out).toMatch(/roles in the trace: network, network-access$/m);
  });
});
