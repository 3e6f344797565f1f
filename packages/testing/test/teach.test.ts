// Failures that teach: runUntil never gives up silently, and a case's failure (a Mismatch,
// a vitest assertion or an exception) names the rule, expected, actual, virtual time and
// the last trace events in tcpdump style.
import { describe, expect, it } from 'vitest';
import { Packet } from '@netlayers/core';
import { FakeIpNetwork, SuiteFailure, WaitTimeout, check, createWorld, lastTraceLines, runCase, runUntil } from '../src/index.ts';
import { thrown } from '../src/suites/support.ts';

function twoNodes() {
  const world = createWorld(3);
  const net = new FakeIpNetwork(world.sim, { delay: '2ms' });
  const a = net.addNode(world.node('a'), '10.0.0.1');
  const b = net.addNode(world.node('b'), '10.0.0.2');
  const got: string[] = [];
  b.registerProtocol(200, (p) => got.push(new TextDecoder().decode(p.bytes)));
  return { world, a, b, got };
}

describe('runUntil', () => {
  it('returns once the condition holds', () => {
    const { world, a, b, got } = twoNodes();
    a.send(Packet.from('hi'), { destination: b.address, protocol: 200 });
    expect(runUntil(world, () => got.length === 1, '1s')).toBe(true);
    expect(world.sim.scheduler.now()).toBe(2_000_000);
  });

  it('throws a WaitTimeout saying what it waited for and how much virtual time passed when the simulation goes idle', () => {
    const { world, a, b, got } = twoNodes();
    a.send(Packet.from('hi'), { destination: b.address, protocol: 200 });
    const error = thrown(() => runUntil(world, () => got.length >= 2, '10s', 'two datagrams at b'));
    expect(error).toBeInstanceOf(WaitTimeout);
    expect((error as WaitTimeout).message).toBe(
      'timed out waiting for two datagrams at b: still not so after 0.002000 s of virtual time: nothing was left to happen (no timer or packet pending: the simulation went idle)\n' +
        'last trace events:\n' +
        '  0.000000 a ipv4 > 10.0.0.1 > 10.0.0.2: proto 200, length 2\n' +
        '  0.002000 b ipv4 < 10.0.0.1 > 10.0.0.2: proto 200, length 2',
    );
  });

  it('runs to the limit and says so when events are still pending, describing the condition by its source by default', () => {
    const world = createWorld();
    const tick = (): void => void world.sim.scheduler.schedule(1_000_000_000, tick);
    tick();
    const error = thrown(() => runUntil(world.sim, () => world.sim.scheduler.now() < 0, '5s')) as WaitTimeout;
    expect(error.message).toBe('timed out waiting for `world.sim.scheduler.now() < 0`: still not so after 5.000000 s of virtual time: the time limit was reached');
    expect(error.elapsed).toBe(5_000_000_000);
  });
});

describe('a failing case', () => {
  const rule = { rule: 'b receives what a sends', rfc: 'RFC 791 §3.1', hint: 'look at the handler' };

  it('turns a Mismatch into a SuiteFailure with the rule, expected, actual, time and trace', () => {
    const error = thrown(() =>
      runCase('demo suite', 'delivers', rule, () => {
        const { world, a, b, got } = twoNodes();
        a.send(Packet.from('hi'), { destination: b.address, protocol: 200 });
        runUntil(world, () => got.length === 1, '1s');
        check(got[0] === 'hello', '"hello" at b', () => JSON.stringify(got[0]));
      }),
    );
    expect(error).toBeInstanceOf(SuiteFailure);
    expect((error as SuiteFailure).message).toBe(
      [
        'demo suite › delivers',
        '  rule:     b receives what a sends (RFC 791 §3.1)',
        '  expected: "hello" at b',
        '  actual:   "hi"',
        '  at:       0.002000 s of virtual time',
        '  last trace events (tcpdump style, oldest first):',
        '    0.000000 a ipv4 > 10.0.0.1 > 10.0.0.2: proto 200, length 2',
        '    0.002000 b ipv4 < 10.0.0.1 > 10.0.0.2: proto 200, length 2',
        '  hint:     look at the handler',
        '  see:      docs/swap-a-layer.md, "When a suite case fails"',
      ].join('\n'),
    );
  });

  it('wraps a bare vitest assertion with its expected and actual values', () => {
    const error = thrown(() => runCase('demo suite', 'counts', rule, () => expect(1 + 1).toBe(3))) as SuiteFailure;
    expect(error.expected).toBe('3');
    expect(error.actual).toBe('2 (expected 2 to be 3 // Object.is equality)');
  });

  it('wraps an exception from the implementation under test', () => {
    const error = thrown(() =>
      runCase('demo suite', 'throws', rule, () => {
        throw new RangeError('index 9 out of range');
      }),
    ) as SuiteFailure;
    expect(error.expected).toBe('the case to run without an exception');
    expect(error.actual).toBe('threw RangeError: index 9 out of range');
    expect(error.cause).toBeInstanceOf(RangeError);
  });
});

describe('lastTraceLines', () => {
  it('shows drops and state changes, and leaves out network PDUs when transport ones are there', () => {
    const world = createWorld();
    const node = world.node('h1');
    node.tracer.emit({ kind: 'pdu', role: 'network', protocol: 'ipv4', direction: 'down', length: 40, headerLength: 20, text: '10.0.0.1 > 10.0.0.2: proto 6', header: { protocol: 'generic', name: 'ipv4', values: [] } });
    node.tracer.emit({ kind: 'pdu', role: 'transport', protocol: 'tcp', direction: 'down', length: 20, headerLength: 20, text: '10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 0, win 1000, length 0', header: { protocol: 'generic', name: 'tcp', values: [] } });
    node.tracer.emit({ kind: 'state', role: 'transport', protocol: 'tcp', entity: 'c1', from: 'CLOSED', to: 'SYN-SENT', cause: 'connect()' });
    node.tracer.drop('transport', 'tcp', 'bad-checksum', 'checksum 0x1234 does not verify', 40);
    expect(lastTraceLines(world.events)).toEqual([
      '0.000000 h1 tcp > 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 0, win 1000, length 0',
      '0.000000 h1 tcp c1 CLOSED -> SYN-SENT (connect())',
      '0.000000 h1 tcp DROP bad-checksum: checksum 0x1234 does not verify',
    ]);
  });
});
