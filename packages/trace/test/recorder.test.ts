import { describe, expect, it } from 'vitest';
import { createNodeContext, createSimulationContext, InvalidArgumentError, NS_PER_MS } from '@netlayers/core';
import { record, TraceRecorder, queryEvents } from '../src/recorder.ts';
import { textbookEvents } from './support/textbook.ts';

describe('TraceRecorder', () => {
  it('keeps every event in publication order and activates the bus', () => {
    const sim = createSimulationContext(1);
    const a = createNodeContext(sim, 'a');
    expect(sim.trace.active).toBe(false);
    const recorder = record(sim.trace);
    expect(sim.trace.active).toBe(true);
    a.tracer.emit({ kind: 'note', role: 'network', protocol: 'ipv4', message: 'one' });
    sim.scheduler.schedule(5, () => a.tracer.emit({ kind: 'note', role: 'link', protocol: 'arp', message: 'two' }));
    sim.scheduler.runUntilIdle();
    expect(recorder.events.map((e) => (e.kind === 'note' ? `${e.time}:${e.message}` : ''))).toEqual(['0:one', '5:two']);
  });

  it('detach stops recording, keeps what it has and deactivates the bus', () => {
    const sim = createSimulationContext(1);
    const a = createNodeContext(sim, 'a');
    const recorder = new TraceRecorder().record(sim.trace);
    a.tracer.emit({ kind: 'note', role: 'network', protocol: 'ipv4', message: 'kept' });
    recorder.detach();
    a.tracer.emit({ kind: 'note', role: 'network', protocol: 'ipv4', message: 'missed' });
    expect(recorder.size).toBe(1);
    expect(recorder.recording).toBe(false);
    expect(sim.trace.active).toBe(false);
  });

  it('stops at its limit and counts what it left out', () => {
    const sim = createSimulationContext(1);
    const a = createNodeContext(sim, 'a');
    const recorder = record(sim.trace, { limit: 2 });
    for (let i = 0; i < 5; i++) a.tracer.emit({ kind: 'note', role: 'network', protocol: 'ipv4', message: String(i) });
    expect(recorder.size).toBe(2);
    expect(recorder.dropped).toBe(3);
  });
});

describe('TraceQuery', () => {
  const { recorder, world } = textbookEvents();

  it('filters by node, role, protocol and kind, and composes', () => {
    const sent = recorder.query().node('client').role('transport').protocol('tcp').kind('pdu').direction('down').events();
    expect(sent.map((e) => (e.header.protocol === 'tcp' ? e.header.flags.join(',') : ''))).toEqual(['SYN', 'ACK', 'PSH,ACK', 'FIN,ACK', 'ACK']);
    expect(recorder.query().kind('state').node('server').events().map((e) => e.to)).toEqual(['LISTEN', 'SYN-RECEIVED', 'ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED']);
    expect(recorder.query().protocol('ipv4').iface('eth0').count()).toBe(18);
  });

  it('matches a connection in either direction, across pdu, state, timer and frame events', () => {
    const forward = recorder.query().connection(world.key('client'));
    const backward = recorder.query().connection(world.key('server'));
    expect(forward.count()).toBe(backward.count());
    const kinds = new Set(forward.events().map((e) => e.kind));
    expect(kinds).toEqual(new Set(['pdu', 'state', 'timer', 'frame']));
    // Both halves of the conversation: segments from the server are in the client's view too.
    expect(forward.kind('pdu').direction('down').node('server').count()).toBe(4);
    expect(recorder.query().connection('10.0.1.10:1-10.0.2.10:80').count()).toBe(0);
  });

  it('filters by time range given in nanoseconds or as durations', () => {
    const early = recorder.query().kind('pdu').between(0, '3ms').events();
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((e) => e.time <= 3 * NS_PER_MS)).toBe(true);
    const handshakeOnly = recorder.query().protocol('tcp').kind('pdu').direction('down').between('1ms', 5 * NS_PER_MS).events();
    expect(handshakeOnly.map((e) => (e.header.protocol === 'tcp' ? e.header.flags.join(',') : ''))).toEqual(['SYN,ACK', 'ACK', 'PSH,ACK']);
    expect(recorder.query().kind('state').between('60s').events().map((e) => e.to)).toEqual(['CLOSED']);
  });

  it('lists nodes and connections, and answers first/last', () => {
    expect(recorder.nodes()).toEqual(['server', 'client']);
    expect(recorder.connections()).toEqual([world.key('client')]);
    expect(recorder.ofKind('state').last()?.to).toBe('CLOSED');
    expect(recorder.query().kind('frame').first()?.node).toBe('client');
    expect(queryEvents(recorder.events).kind('timer').count()).toBe(2);
  });

  it('rejects a malformed connection key with a typed error naming it', () => {
    expect(() => recorder.query().connection('10.0.1.10-80')).toThrow(InvalidArgumentError);
    expect(() => recorder.query().connection('10.0.1.10-80')).toThrow(/10\.0\.1\.10-80/);
  });
});
