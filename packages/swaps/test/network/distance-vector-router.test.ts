import { describe, expect, it } from 'vitest';
import { Ipv4Cidr, NS_PER_S, type StateEvent } from '@netlayers/core';
import { DistanceVectorRouter, RIP_INFINITY, type DistanceVectorChange, type DistanceVectorOptions } from '../../src/network/index.ts';
import { FakeRipLab } from './support/fake-routers.ts';

const S = NS_PER_S;

function startAll(lab: FakeRipLab, options: DistanceVectorOptions = {}): Map<string, DistanceVectorRouter> {
  const routers = new Map<string, DistanceVectorRouter>();
  for (const [name, r] of lab.routers) {
    const rip = new DistanceVectorRouter(r.node, r, r.udp, options);
    routers.set(name, rip);
  }
  for (const rip of routers.values()) rip.start();
  return routers;
}

/** RIP metric every router should have for every network: 1 + router hops to an owner (BFS over working wires). */
function expectedMetrics(lab: FakeRipLab): Map<string, Map<string, number>> {
  const owners = new Map<string, string[]>();
  for (const [name, r] of lab.routers) {
    for (const i of r.ifaces) {
      if (!i.up) continue;
      const key = Ipv4Cidr.of(i.cidr.network, i.cidr.prefixLength).toString();
      owners.set(key, [...(owners.get(key) ?? []), name]);
    }
  }
  const neighbours = (name: string): string[] =>
    lab.routers.get(name)!.ifaces.filter((i) => i.up && i.link?.working).map((i) => i.link!.peerOf(lab.routers.get(name)!).router.node.name);
  const result = new Map<string, Map<string, number>>();
  for (const start of lab.routers.keys()) {
    const distance = new Map([[start, 0]]);
    const queue = [start];
    while (queue.length > 0) {
      const at = queue.shift()!;
      for (const next of neighbours(at)) {
        if (!distance.has(next)) {
          distance.set(next, distance.get(at)! + 1);
          queue.push(next);
        }
      }
    }
    const metrics = new Map<string, number>();
    for (const [prefix, names] of owners) {
      const hops = Math.min(...names.map((n) => distance.get(n) ?? Infinity));
      if (hops < Infinity) metrics.set(prefix, hops + 1);
    }
    result.set(start, metrics);
  }
  return result;
}

function actualMetrics(routers: Map<string, DistanceVectorRouter>): Map<string, Map<string, number>> {
  return new Map([...routers].map(([name, rip]) => [name, new Map(rip.routes().filter((r) => r.metric < RIP_INFINITY).map((r) => [r.prefix.toString(), r.metric]))]));
}

function line(lab: FakeRipLab): void {
  lab.link('r1', 'r2'); // 10.0.1.0/24
  lab.link('r2', 'r3'); // 10.0.2.0/24
  lab.stub('r1', '192.168.1.1/24');
  lab.stub('r3', '192.168.3.1/24');
}

function ring(lab: FakeRipLab): void {
  lab.link('r1', 'r2'); // 10.0.1.0/24
  lab.link('r2', 'r3'); // 10.0.2.0/24
  lab.link('r3', 'r4'); // 10.0.3.0/24
  lab.link('r4', 'r1'); // 10.0.4.0/24
  lab.stub('r3', '192.168.3.1/24');
  lab.stub('r1', '192.168.1.1/24');
}

describe('DistanceVectorRouter: convergence', () => {
  it('converges on a line within seconds (requests at start, triggered updates) and installs the routes', () => {
    const lab = new FakeRipLab();
    line(lab);
    const routers = startAll(lab);
    lab.runFor(10 * S);
    expect(actualMetrics(routers)).toEqual(expectedMetrics(lab));
    expect(lab.router('r1').routeTo('192.168.3.7')).toBe('via 10.0.1.2 eth0 metric 3');
    expect(lab.router('r1').routeTo('10.0.2.9')).toBe('via 10.0.1.2 eth0 metric 2');
    expect(lab.router('r3').routeTo('192.168.1.7')).toBe('via 10.0.2.1 eth0 metric 3');
    expect(lab.router('r2').routeTo('192.168.1.7')).toBe('via 10.0.1.1 eth0 metric 2');
    // Connected networks stay connected routes: RIP never installs a worse copy.
    expect(lab.router('r2').routeTo('10.0.1.9')).toBe('connected eth0');
  });

  it('converges by periodic updates alone when triggered updates are off', () => {
    const lab = new FakeRipLab();
    line(lab);
    const routers = startAll(lab, { triggeredUpdates: false });
    lab.runFor(100 * S);
    expect(actualMetrics(routers)).toEqual(expectedMetrics(lab));
    const r1 = routers.get('r1')!;
    expect(r1.stats.triggeredUpdatesSent).toBe(0);
    // A periodic update every 30 s ± 5 s: 1 at start and 3 more by 100 s, on each of r1's two interfaces.
    expect(r1.stats.updatesSent).toBeGreaterThanOrEqual(2 * 3);
    expect(r1.stats.updatesSent).toBeLessThanOrEqual(2 * 4);
  });

  it('converges on a ring to shortest paths', () => {
    const lab = new FakeRipLab();
    ring(lab);
    const routers = startAll(lab);
    lab.runFor(10 * S);
    expect(actualMetrics(routers)).toEqual(expectedMetrics(lab));
    expect(routers.get('r2')!.route('192.168.3.0/24')).toMatchObject({ metric: 2, iface: 'eth1', origin: 'learned' });
    expect(lab.router('r2').routeTo('192.168.3.1')).toBe('via 10.0.2.2 eth1 metric 2');
  });

  it('traces every table change as a state event (role network, protocol rip)', () => {
    const lab = new FakeRipLab();
    line(lab);
    startAll(lab);
    lab.runFor(10 * S);
    const changes = lab.events.filter((e): e is StateEvent => e.kind === 'state' && e.protocol === 'rip');
    expect(changes.every((e) => e.role === 'network')).toBe(true);
    const r1Learned = changes.filter((e) => e.node === 'r1' && e.entity === '192.168.3.0/24');
    expect(r1Learned.map((e) => [e.from, e.to])).toEqual([['none', 'metric 3 via 10.0.1.2 on eth0']]);
  });
});

describe('DistanceVectorRouter: failures', () => {
  it('re-converges around a ring when a link fails (interfaces go down), and forgets the dead subnet', () => {
    const lab = new FakeRipLab();
    ring(lab);
    const routers = startAll(lab);
    lab.runFor(10 * S);
    lab.cut('r2-r3');
    // r2 and r1 withdraw at once (triggered updates); the way round through r4 is heard at
    // r4's next regular update, within 30 s ± 5 s.
    lab.runFor(40 * S);
    expect(lab.router('r2').routeTo('192.168.3.1')).toBe('via 10.0.1.1 eth0 metric 4');
    expect(actualMetrics(routers)).toEqual(expectedMetrics(lab));
    // 10.0.2.0/24 (the failed wire) is unreachable now; after garbage collection it is gone everywhere.
    lab.runFor(130 * S);
    for (const rip of routers.values()) expect(rip.route('10.0.2.0/24')).toBeUndefined();
    for (const r of lab.routers.values()) expect(r.routes.entries().some((route) => route.prefix.toString() === '10.0.2.0/24' && route.source === 'dynamic')).toBe(false);
    // The link comes back and the short path with it.
    lab.restore('r2-r3');
    lab.runFor(10 * S);
    expect(lab.router('r2').routeTo('192.168.3.1')).toBe('via 10.0.2.2 eth1 metric 2');
    expect(actualMetrics(routers)).toEqual(expectedMetrics(lab));
  });

  it('notices a silent failure only when the route times out after 180 s', () => {
    const lab = new FakeRipLab();
    ring(lab);
    startAll(lab);
    lab.runFor(10 * S);
    lab.wire('r2-r3').working = false; // no carrier loss: nobody is told
    lab.runFor(140 * S);
    expect(lab.router('r2').routeTo('192.168.3.1')).toBe('via 10.0.2.2 eth1 metric 2'); // stale, still believed
    lab.runFor(90 * S); // past 180 s since r3's last heard update (at most 35 s before the failure)
    expect(lab.router('r2').routeTo('192.168.3.1')).toBe('via 10.0.1.1 eth0 metric 4');
  });
});

describe('DistanceVectorRouter: count to infinity (RFC 2453 §3.4.1)', () => {
  /**
   * r1 — r2 — r3 with 192.168.3.0/24 behind r3, triggered updates off (the textbook case).
   * The r2–r3 link fails just as r1's periodic update, still advertising the network, is on
   * its way to r2. Returns every metric r1 and r2 held for 192.168.3.0/24 after the failure.
   */
  function failWhileUpdateInFlight(options: DistanceVectorOptions): { metrics: Record<string, number[]>; viaR1: boolean; finalRoutes: string[] } {
    const lab = new FakeRipLab(3);
    line(lab);
    const routers = startAll(lab, { triggeredUpdates: false, ...options });
    lab.runFor(70 * S);
    expect(lab.router('r1').routeTo('192.168.3.1')).toBe('via 10.0.1.2 eth0 metric 3');
    const metrics: Record<string, number[]> = { r1: [], r2: [] };
    let viaR1 = false;
    for (const name of ['r1', 'r2'] as const) {
      routers.get(name)!.onRouteChange((change: DistanceVectorChange) => {
        if (change.prefix !== '192.168.3.0/24') return;
        if (change.after !== null) metrics[name]!.push(change.after.metric);
        if (name === 'r2' && change.after?.nextHop?.toString() === '10.0.1.1' && change.after.metric < RIP_INFINITY) viaR1 = true;
      });
    }
    let cut = false;
    lab.router('r1').udp.taps.push((iface) => {
      if (!cut && iface === 'eth0') {
        cut = true;
        lab.cut('r2-r3');
      }
    });
    lab.runFor(600 * S);
    expect(cut).toBe(true);
    const finalRoutes = [...lab.routers.values()].map((r) => r.routeTo('192.168.3.1'));
    return { metrics, viaR1, finalRoutes };
  }

  it('without split horizon, r1 and r2 bounce the dead route between them, the metric climbing to 16', () => {
    const { metrics, viaR1, finalRoutes } = failWhileUpdateInFlight({ splitHorizon: 'off' });
    expect(viaR1).toBe(true); // r2 believed r1's stale advertisement
    const r2Finite = metrics.r2!.filter((m) => m < RIP_INFINITY);
    const r1Finite = metrics.r1!.filter((m) => m < RIP_INFINITY);
    // The metric climbs step by step...
    expect(r2Finite.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < r2Finite.length; i++) expect(r2Finite[i]).toBeGreaterThan(r2Finite[i - 1]!);
    expect(Math.max(...r1Finite, ...r2Finite)).toBeGreaterThanOrEqual(14);
    // ...until it reaches infinity and the route is withdrawn.
    expect(metrics.r2!.at(-1)).toBe(RIP_INFINITY);
    expect(metrics.r1!.at(-1)).toBe(RIP_INFINITY);
    expect(finalRoutes).toEqual(['none', 'none', 'connected eth1']);
  });

  it('with poisoned reverse the same failure is withdrawn at once: no climbing', () => {
    const { metrics, viaR1, finalRoutes } = failWhileUpdateInFlight({ splitHorizon: 'poisoned-reverse' });
    expect(viaR1).toBe(false);
    expect(metrics.r2).toEqual([RIP_INFINITY]);
    expect(metrics.r1).toEqual([RIP_INFINITY]);
    expect(finalRoutes).toEqual(['none', 'none', 'connected eth1']);
  });

  it('with simple split horizon (no poison) a line is safe too', () => {
    const { metrics, viaR1 } = failWhileUpdateInFlight({ splitHorizon: 'simple' });
    expect(viaR1).toBe(false);
    expect(metrics.r2).toEqual([RIP_INFINITY]);
  });
});

describe('DistanceVectorRouter: options and misuse', () => {
  it('rejects bad options with typed errors that name the value', () => {
    const lab = new FakeRipLab();
    const r = lab.router('r1');
    expect(() => new DistanceVectorRouter(r.node, r, r.udp, { splitHorizon: 'sometimes' as never })).toThrow(/sometimes/);
    expect(() => new DistanceVectorRouter(r.node, r, r.udp, { updateInterval: 0 })).toThrow(/updateInterval/);
    expect(() => new DistanceVectorRouter(r.node, r, r.udp, { updateInterval: '10s', updateJitter: '20s' })).toThrow(/20s/);
    expect(() => new DistanceVectorRouter(r.node, r, r.udp, { port: 70000 })).toThrow(/70000/);
  });

  it('drops malformed RIP datagrams with a trace event and keeps running', () => {
    const lab = new FakeRipLab();
    line(lab);
    const routers = startAll(lab);
    lab.runFor(5 * S);
    const r2 = lab.router('r2');
    const socket = r2.udp.sockets.find((s) => s.iface === 'eth0')!;
    socket.emit('message', new Uint8Array([2, 9, 0, 0]), { address: lab.router('r1').ifaces[0]!.cidr.address, port: 520 });
    socket.emit('message', new Uint8Array([2, 2, 0]), { address: lab.router('r1').ifaces[0]!.cidr.address, port: 520 });
    const drops = lab.events.filter((e) => e.kind === 'drop' && e.protocol === 'rip' && e.node === 'r2');
    expect(drops.map((e) => (e.kind === 'drop' ? e.reason : ''))).toEqual(['bad-version', 'truncated']);
    lab.runFor(5 * S);
    expect(actualMetrics(routers)).toEqual(expectedMetrics(lab));
  });
});
