import { beforeEach, describe, expect, it } from 'vitest';
import {
  DropReason,
  InvalidAddressError,
  InvalidArgumentError,
  IpProtocol,
  Ipv4Address,
  SocketError,
  UnreachableCode,
  createNodeContext,
  createSimulationContext,
  type PduEvent,
  type SimulationContext,
} from '@netlayers/core';
import { UdpLayer, type UdpSocket } from '../../src/udp/index.ts';
import { FakeIpNetwork, type FakeIpService } from '@netlayers/testing';

interface Pair {
  sim: SimulationContext;
  net: FakeIpNetwork;
  ipA: FakeIpService;
  ipB: FakeIpService;
  a: UdpLayer;
  b: UdpLayer;
}

function pair(seed = 1): Pair {
  const sim = createSimulationContext(seed);
  const net = new FakeIpNetwork(sim);
  const nodeA = createNodeContext(sim, 'a');
  const nodeB = createNodeContext(sim, 'b');
  const ipA = net.addNode(nodeA, '10.0.0.1');
  const ipB = net.addNode(nodeB, '10.0.0.2');
  const a = new UdpLayer(nodeA, ipA);
  const b = new UdpLayer(nodeB, ipB);
  return { sim, net, ipA, ipB, a, b };
}

function messages(socket: UdpSocket): Array<{ text: string; address: string; port: number }> {
  const got: Array<{ text: string; address: string; port: number }> = [];
  socket.on('message', (data, remote) => got.push({ text: new TextDecoder().decode(data), address: String(remote.address), port: remote.port }));
  return got;
}

function errors(socket: UdpSocket): SocketError[] {
  const got: SocketError[] = [];
  socket.on('error', (e) => got.push(e));
  return got;
}

describe('UdpLayer end to end over a fake IP pair', () => {
  let p: Pair;
  beforeEach(() => {
    p = pair();
  });

  it('delivers a request and a reply between an ephemeral port and a bound port', () => {
    const server = p.b.bind({ port: 53 });
    const client = p.a.bind();
    expect(client.localPort).toBeGreaterThanOrEqual(49152);
    expect(client.localPort).toBeLessThanOrEqual(65535);
    const atServer = messages(server);
    const atClient = messages(client);
    server.on('message', (data, remote) => server.send(`re:${new TextDecoder().decode(data)}`, remote.port, remote.address));
    client.send('query', 53, '10.0.0.2');
    p.sim.scheduler.runUntilIdle();
    expect(atServer).toEqual([{ text: 'query', address: '10.0.0.1', port: client.localPort }]);
    expect(atClient).toEqual([{ text: 're:query', address: '10.0.0.2', port: 53 }]);
    expect(client.bytesWritten).toBe(5);
    expect(server.bytesRead).toBe(5);
  });

  it('answers a datagram for a port with no socket with ICMP port unreachable, surfacing ECONNREFUSED', () => {
    const client = p.a.bind();
    const errs = errors(client);
    client.send('anyone?', 9999, '10.0.0.2');
    p.sim.scheduler.runUntilIdle();
    expect(p.ipB.unreachablesSent).toHaveLength(1);
    expect(p.ipB.unreachablesSent[0]!.code).toBe(UnreachableCode.Port);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toBeInstanceOf(SocketError);
    expect(errs[0]!.code).toBe('ECONNREFUSED');
    expect(errs[0]!.message).toContain('10.0.0.2:9999');
  });

  it('counts the no-socket drop at the receiver', () => {
    const sim = createSimulationContext(3);
    const net = new FakeIpNetwork(sim);
    const nodeA = createNodeContext(sim, 'a');
    const nodeB = createNodeContext(sim, 'b');
    const a = new UdpLayer(nodeA, net.addNode(nodeA, '10.0.0.1'));
    new UdpLayer(nodeB, net.addNode(nodeB, '10.0.0.2'));
    a.bind().send('x', 4000, '10.0.0.2');
    sim.scheduler.runUntilIdle();
    expect(nodeB.counters.get(`drop.transport.${DropReason.NoSocket}`)).toBe(1);
  });

  it('sends no ICMP error for a broadcast to a closed port (RFC 1122 §3.2.2)', () => {
    const client = p.a.bind();
    client.setBroadcast(true);
    client.send('hello all', 9999, '255.255.255.255');
    p.sim.scheduler.runUntilIdle();
    expect(p.ipB.unreachablesSent).toHaveLength(0);
  });

  it('delivers a broadcast only after setBroadcast(true), else EACCES', () => {
    const listener = p.b.bind({ port: 67 });
    const got = messages(listener);
    const client = p.a.bind({ port: 68 });
    expect(() => client.send('discover', 67, '255.255.255.255')).toThrow(SocketError);
    try {
      client.send('discover', 67, '255.255.255.255');
    } catch (e) {
      expect((e as SocketError).code).toBe('EACCES');
    }
    client.setBroadcast(true);
    client.send('discover', 67, '255.255.255.255');
    p.sim.scheduler.runUntilIdle();
    expect(got).toEqual([{ text: 'discover', address: '10.0.0.1', port: 68 }]);
  });

  it('drops a corrupted datagram with a bad-checksum drop and delivers nothing', () => {
    const sim = createSimulationContext(4);
    const net = new FakeIpNetwork(sim);
    const nodeA = createNodeContext(sim, 'a');
    const nodeB = createNodeContext(sim, 'b');
    const a = new UdpLayer(nodeA, net.addNode(nodeA, '10.0.0.1'));
    const b = new UdpLayer(nodeB, net.addNode(nodeB, '10.0.0.2'));
    net.tamper = (bytes) => {
      const copy = bytes.slice();
      copy[copy.length - 1]! ^= 0x40;
      return copy;
    };
    const got = messages(b.bind({ port: 7 }));
    a.bind().send('payload', 7, '10.0.0.2');
    sim.scheduler.runUntilIdle();
    expect(got).toEqual([]);
    expect(nodeB.counters.get(`drop.transport.${DropReason.BadChecksum}`)).toBe(1);
  });

  it('maps other ICMP errors to socket errors and ignores source quench', () => {
    const client = p.a.bind({ port: 5000 });
    const errs = errors(client);
    const quote = Uint8Array.from([0x13, 0x88, 0x00, 0x35, 0, 12, 0, 0]);
    const report = {
      icmpType: 3,
      reporter: Ipv4Address.parse('10.0.0.254'),
      originalSource: Ipv4Address.parse('10.0.0.1'),
      originalDestination: Ipv4Address.parse('192.0.2.1'),
      originalProtocol: IpProtocol.UDP,
      originalPayload: quote,
    };
    p.ipA.injectIcmpError({ ...report, type: 'destination-unreachable', icmpCode: UnreachableCode.Host });
    p.ipA.injectIcmpError({ ...report, type: 'destination-unreachable', icmpCode: UnreachableCode.Net });
    p.ipA.injectIcmpError({ ...report, type: 'time-exceeded', icmpType: 11, icmpCode: 0 });
    p.ipA.injectIcmpError({ ...report, type: 'source-quench', icmpType: 4, icmpCode: 0 });
    expect(errs.map((e) => e.code)).toEqual(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTUNREACH']);
  });

  it('reports a send with no route as an ENETUNREACH error event, not a throw', () => {
    const client = p.a.bind();
    const errs = errors(client);
    expect(() => client.send('x', 53, '192.0.2.99')).not.toThrow();
    p.sim.scheduler.runUntilIdle();
    expect(errs.map((e) => e.code)).toEqual(['ENETUNREACH']);
  });

  it('traces pdu events down and up with ports and length', () => {
    const events: PduEvent[] = [];
    // (The fake network traces its own IPv4 pdu events; UDP's are the transport ones.)
    p.sim.trace.on('pdu', (e) => e.role === 'transport' && events.push(e));
    p.b.bind({ port: 53 });
    const client = p.a.bind({ port: 40000 });
    client.send('hello', 53, '10.0.0.2');
    p.sim.scheduler.runUntilIdle();
    expect(events.map((e) => [e.node, e.direction, e.protocol, e.role])).toEqual([
      ['a', 'down', 'udp', 'transport'],
      ['b', 'up', 'udp', 'transport'],
    ]);
    for (const e of events) {
      expect(e.header).toEqual({ protocol: 'udp', sourcePort: 40000, destinationPort: 53, payloadLength: 5 });
      expect(e.text).toBe('10.0.0.1.40000 > 10.0.0.2.53: UDP, length 5');
      expect(e.length).toBe(13);
      expect(e.headerLength).toBe(8);
    }
  });
});

describe('UdpLayer binding', () => {
  it('refuses a second socket on a bound port (EADDRINUSE), wildcard or specific, until it closes', () => {
    const { a, sim } = pair();
    const first = a.bind({ port: 53 });
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as SocketError).code;
      }
      return 'no error';
    };
    expect(code(() => a.bind({ port: 53 }))).toBe('EADDRINUSE');
    expect(code(() => a.bind({ port: 53, address: '10.0.0.1' }))).toBe('EADDRINUSE');
    first.close();
    const closed: string[] = [];
    first.on('close', () => closed.push('close'));
    sim.scheduler.runUntilIdle();
    expect(closed).toEqual(['close']);
    expect(a.bind({ port: 53, address: '10.0.0.1' }).localPort).toBe(53);
  });

  it('allows one port on two interfaces when each socket is bound to its device', () => {
    const { a } = pair();
    a.bind({ port: 68, iface: 'eth0' });
    expect(a.bind({ port: 68, iface: 'eth1' }).iface).toBe('eth1');
  });

  it('refuses an address that is not the node\'s (EADDRNOTAVAIL)', () => {
    const { a } = pair();
    expect(() => a.bind({ port: 53, address: '10.0.0.2' })).toThrow(/EADDRNOTAVAIL.*10\.0\.0\.2/);
  });

  it('picks deterministic ephemeral ports from the seed', () => {
    const ports = (seed: number) => {
      const { a } = pair(seed);
      return [a.bind().localPort, a.bind().localPort, a.bind().localPort];
    };
    expect(ports(7)).toEqual(ports(7));
    expect(new Set(ports(7)).size).toBe(3);
    expect(ports(7)).not.toEqual(ports(8));
  });

  it('uses a configured ephemeral range and reports exhaustion', () => {
    const sim = createSimulationContext(1);
    const net = new FakeIpNetwork(sim);
    const node = createNodeContext(sim, 'a');
    const udp = new UdpLayer(node, net.addNode(node, '10.0.0.1'), { ephemeralPorts: [5000, 5001] });
    const got = [udp.bind().localPort, udp.bind().localPort].sort();
    expect(got).toEqual([5000, 5001]);
    expect(() => udp.bind()).toThrow(/EADDRINUSE.*5000-5001/);
  });

  it('rejects a bad ephemeral range, naming it', () => {
    const sim = createSimulationContext(1);
    const net = new FakeIpNetwork(sim);
    const ip = net.addNode(createNodeContext(sim, 'a'), '10.0.0.1');
    expect(() => new UdpLayer(createNodeContext(sim, 'a'), ip, { ephemeralPorts: [60000, 50000] })).toThrow(InvalidArgumentError);
    expect(() => new UdpLayer(createNodeContext(sim, 'a'), ip, { ephemeralPorts: [0, 50000] })).toThrow(/ephemeralPorts\[0\] 0/);
  });
});

describe('UdpSocket misuse', () => {
  it('rejects bad ports, naming the value', () => {
    const { a } = pair();
    const s = a.bind();
    for (const port of [0, -1, 65536, 70000, 1.5, Number.NaN]) {
      expect(() => s.send('x', port, '10.0.0.2')).toThrow(InvalidArgumentError);
    }
    expect(() => s.send('x', 70000, '10.0.0.2')).toThrow(/port 70000/);
    expect(() => a.bind({ port: 65536 })).toThrow(/port 65536/);
  });

  it('rejects a bad address with InvalidAddressError', () => {
    const { a } = pair();
    expect(() => a.bind().send('x', 53, '10.0.0.256')).toThrow(InvalidAddressError);
    expect(() => a.bind({ address: 'localhost' })).toThrow(/"localhost"/);
  });

  it('refuses datagrams over 65507 bytes with EMSGSIZE and sends 65507', () => {
    const { a, b, sim } = pair();
    const got = messages(b.bind({ port: 9 }));
    const s = a.bind();
    expect(() => s.send(new Uint8Array(65508), 9, '10.0.0.2')).toThrow(/EMSGSIZE.*65508/);
    s.send(new Uint8Array(65507), 9, '10.0.0.2');
    sim.scheduler.runUntilIdle();
    expect(got).toHaveLength(1);
  });

  it('refuses to send on a closed socket and delivers nothing to it', () => {
    const { a, b, sim, ipB } = pair();
    const server = b.bind({ port: 9 });
    const got = messages(server);
    server.close();
    expect(() => server.send('x', 9, '10.0.0.1')).toThrow(/ERR_SOCKET_CLOSED/);
    a.bind().send('late', 9, '10.0.0.2');
    sim.scheduler.runUntilIdle();
    expect(got).toEqual([]);
    expect(ipB.unreachablesSent).toHaveLength(1);
  });
});
