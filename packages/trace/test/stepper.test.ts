import { describe, expect, it } from 'vitest';
import { NS_PER_MS } from '@netlayers/core';
import { describeEvent, recordSteps, Stepper } from '../src/stepper.ts';
import { FakeTcpWorld, playTextbook } from './support/fake-tcp-world.ts';

describe('Stepper', () => {
  it('runs one scheduler event per step and tells what each layer did', () => {
    const world = new FakeTcpWorld();
    const stepper = new Stepper(world.sim);
    playTextbook(world);
    const first = stepper.step()!;
    // The first scheduled event is the SYN arriving at the server, and what it set off.
    expect(first.step).toBe(1);
    expect(first.time).toBe(2 * NS_PER_MS);
    expect(first.lines.slice(0, 4)).toEqual([
      'at 0.002000 s, on node server, Physical layer (PHY) took a 64-byte frame off the wire on eth0: 10.0.1.10.49152 > 10.0.2.10.80: Flags [S], seq 0, win 65535, length 0',
      'at 0.002000 s, on node server, Link layer (ETHERNET) received 02:00:00:00:00:01 > 02:00:00:00:00:02, IPv4 on eth0',
      'at 0.002000 s, on node server, Network layer (IPV4) received 10.0.1.10 > 10.0.2.10: TCP ttl 64 id 1 on eth0',
      'at 0.002000 s, on node server, Transport layer (TCP) received 10.0.1.10.49152 > 10.0.2.10.80: SYN seq 0 ack 0 len 0',
    ]);
    expect(first.lines).toContain('at 0.002000 s, on node server, Transport layer (TCP) 10.0.2.10:80-10.0.1.10:49152: LISTEN -> SYN-RECEIVED (rcv SYN)');
    expect(stepper.steps).toBe(1);
  });

  it('runs to the end, step by step, and reports idle', () => {
    const world = new FakeTcpWorld();
    const stepper = new Stepper(world.sim, { model: 'tcpip-4' });
    playTextbook(world);
    const steps = stepper.run();
    expect(steps.map((s) => s.step)).toEqual(steps.map((_, i) => i + 1));
    expect(steps.at(-1)!.lines.at(-1)).toBe('at 60.012000 s, on node client, Transport layer (TCP) 10.0.1.10:49152-10.0.2.10:80: TIME-WAIT -> CLOSED (2*MSL timeout)');
    expect(steps.flatMap((s) => s.lines).some((l) => l.includes('Link (network access) layer (PHY)'))).toBe(true);
    expect(stepper.idle).toBe(true);
    expect(stepper.step()).toBeUndefined();
    stepper.detach();
    expect(world.sim.trace.active).toBe(false);
  });

  it('next() skips scheduler events that publish nothing', () => {
    const world = new FakeTcpWorld();
    const stepper = new Stepper(world.sim);
    world.at(1, () => {});
    world.at(2, () => world.state('client', 'CLOSED', 'SYN-SENT', 'connect()'));
    const report = stepper.next()!;
    expect([report.step, report.time, report.events.length]).toEqual([2, 2, 1]);
  });

  it('recordSteps groups a run someone else drives by scheduler event', () => {
    const world = new FakeTcpWorld();
    const steps = recordSteps(world.sim);
    playTextbook(world);
    world.sim.scheduler.runUntilIdle();
    const all = steps.steps();
    expect(all[0]!.step).toBe(0); // before the first scheduler event: the script's own calls
    expect(all[0]!.lines[0]).toBe('at 0.000000 s, on node server, Transport layer (TCP) 10.0.2.10:80-10.0.1.10:49152: CLOSED -> LISTEN (listen())');
    expect(all.slice(1).every((s, i) => s.step > all[i]!.step)).toBe(true);
    expect(all.reduce((n, s) => n + s.events.length, 0)).toBeGreaterThan(60);
  });

  it('describes drops, timers and lost frames in words', () => {
    const base = { time: 1_000, node: 'r1', role: 'network' as const, protocol: 'ipv4' };
    expect(describeEvent({ ...base, kind: 'drop', reason: 'ttl-expired', detail: 'TTL 1', length: 60 })).toBe('at 0.000001 s, on node r1, Network layer (IPV4) dropped 60 bytes: ttl-expired (TTL 1)');
    expect(describeEvent({ ...base, role: 'transport', protocol: 'tcp', kind: 'timer', action: 'set', timer: 'TIME-WAIT', duration: 240e9 }, 'osi-7')).toBe('at 0.000001 s, on node r1, Transport layer (TCP) set the TIME-WAIT timer (4 min)');
    expect(describeEvent({ ...base, role: 'physical', protocol: 'phy', kind: 'frame', action: 'lost', bytes: new Uint8Array(64), iface: 'eth1', detail: 'loss' })).toBe('at 0.000001 s, on node r1, the medium lost a 64-byte frame on eth1 (loss): 00:00:00:00:00:00 > 00:00:00:00:00:00, 802.3, length 0, length 60 [Ethernet FCS does not match the CRC-32 of the frame]');
  });
});
