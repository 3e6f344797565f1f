// Test support: a fake two-node world that publishes the trace events the real layers
// publish (tcp/ipv4/ethernet pdu events, frame events with real bytes, TCP state and timer
// events) through a real TraceBus and Scheduler, so renderers can be tested before and
// apart from the layer packages. `playTextbook` runs the textbook connection: three-way
// handshake, one request and response, and the four-segment teardown with TIME-WAIT.

import { createNodeContext, createSimulationContext, NS_PER_MS, NS_PER_S, type NodeContext, type SimulationContext, type TcpFlagName, type TcpHeaderInfo, type Ipv4HeaderInfo, type EthernetHeaderInfo } from '@netlayers/core';
import { tcpFrame } from './frames.ts';

export type Side = 'client' | 'server';

interface EndpointInfo {
  readonly ip: string;
  readonly port: number;
  readonly mac: string;
  readonly context: NodeContext;
}

export interface SegmentSpec {
  readonly flags: readonly TcpFlagName[];
  readonly seq: number;
  readonly ack: number;
  readonly payload?: string;
  readonly mss?: number;
  readonly win?: number;
}

export interface SendOptions {
  /** The medium loses the frame (a 'lost' frame event, no arrival). */
  readonly lose?: boolean;
  readonly retransmission?: boolean;
  /** Run at the peer after the segment arrived. */
  readonly onArrive?: () => void;
}

export const MSL_NS = 30 * NS_PER_S;

export class FakeTcpWorld {
  readonly sim: SimulationContext = createSimulationContext(1);
  readonly delay = 2 * NS_PER_MS;
  readonly ends: Record<Side, EndpointInfo>;
  private ipId: Record<Side, number> = { client: 1, server: 1 };

  /** Initial sequence numbers: the textbook's numbers are relative to these. */
  readonly isn: Record<Side, number>;

  constructor(options: { isn?: Record<Side, number> } = {}) {
    this.isn = options.isn ?? { client: 0, server: 0 };
    this.ends = {
      client: { ip: '10.0.1.10', port: 49152, mac: '02:00:00:00:00:01', context: createNodeContext(this.sim, 'client') },
      server: { ip: '10.0.2.10', port: 80, mac: '02:00:00:00:00:02', context: createNodeContext(this.sim, 'server') },
    };
  }

  key(from: Side): string {
    const a = this.ends[from];
    const b = this.ends[from === 'client' ? 'server' : 'client'];
    return `${a.ip}:${a.port}-${b.ip}:${b.port}`;
  }

  at(delay: number, fn: () => void): void {
    this.sim.scheduler.schedule(delay, fn);
  }

  state(side: Side, from: string, to: string, cause: string): void {
    this.ends[side].context.tracer.emit({ kind: 'state', role: 'transport', protocol: 'tcp', entity: this.key(side), from, to, cause });
  }

  timer(side: Side, timer: string, action: 'set' | 'fired' | 'cancelled', duration?: number): void {
    this.ends[side].context.tracer.emit({ kind: 'timer', role: 'transport', protocol: 'tcp', timer, action, entity: this.key(side), ...(duration !== undefined ? { duration } : {}) });
  }

  send(from: Side, seg: SegmentSpec, options: SendOptions = {}): void {
    const to: Side = from === 'client' ? 'server' : 'client';
    const a = this.ends[from];
    const b = this.ends[to];
    const payload = new TextEncoder().encode(seg.payload ?? '');
    const optionsLength = seg.mss !== undefined ? 4 : 0;
    const tcpLength = 20 + optionsLength + payload.length;
    const id = this.ipId[from]++;
    const seq = (seg.seq + this.isn[from]) >>> 0;
    const ack = seg.flags.includes('ACK') ? (seg.ack + this.isn[to]) >>> 0 : seg.ack;
    const fields: TcpHeaderInfo = {
      protocol: 'tcp',
      sourcePort: a.port,
      destinationPort: b.port,
      seq,
      ack,
      flags: seg.flags,
      window: seg.win ?? 65535,
      urgentPointer: 0,
      payloadLength: payload.length,
      options: seg.mss !== undefined ? { mss: seg.mss } : {},
    };
    const text = `${a.ip}.${a.port} > ${b.ip}.${b.port}: ${seg.flags.join(',')} seq ${seq} ack ${ack} len ${payload.length}`;
    const connection = this.key(from);
    const frame = tcpFrame({ src: a.mac, dst: b.mac }, { src: a.ip, dst: b.ip, id }, { sport: a.port, dport: b.port, seq, ack, flags: seg.flags, win: seg.win ?? 65535, payload, ...(seg.mss !== undefined ? { mss: seg.mss } : {}) });
    const ipFields: Ipv4HeaderInfo = { protocol: 'ipv4', source: a.ip, destination: b.ip, ttl: 64, identification: id, ipProtocol: 6, totalLength: 20 + tcpLength, headerLength: 20, dontFragment: true, moreFragments: false, fragmentOffset: 0 };
    const ethFields: EthernetHeaderInfo = { protocol: 'ethernet', source: a.mac, destination: b.mac, etherType: 0x0800, length: frame.length - 4 };
    const tracer = a.context.tracer;
    tracer.emit({ kind: 'pdu', role: 'transport', protocol: 'tcp', direction: 'down', length: tcpLength, headerLength: 20 + optionsLength, text, header: fields, connection, ...(options.retransmission ? { retransmission: true } : {}) });
    tracer.emit({ kind: 'pdu', role: 'network', protocol: 'ipv4', direction: 'down', iface: 'eth0', length: 20 + tcpLength, headerLength: 20, text: `${a.ip} > ${b.ip}: TCP ttl 64 id ${id}`, header: ipFields });
    tracer.emit({ kind: 'pdu', role: 'link', protocol: 'ethernet', direction: 'down', iface: 'eth0', length: frame.length, headerLength: 14, text: `${a.mac} > ${b.mac}, IPv4`, header: ethFields });
    if (options.lose) {
      tracer.emit({ kind: 'frame', role: 'physical', protocol: 'phy', iface: 'eth0', action: 'tx', bytes: frame });
      tracer.emit({ kind: 'frame', role: 'physical', protocol: 'phy', iface: 'eth0', action: 'lost', bytes: frame, detail: 'impairment: loss' });
      return;
    }
    tracer.emit({ kind: 'frame', role: 'physical', protocol: 'phy', iface: 'eth0', action: 'tx', bytes: frame });
    this.at(this.delay, () => {
      const rx = b.context.tracer;
      rx.emit({ kind: 'frame', role: 'physical', protocol: 'phy', iface: 'eth0', action: 'rx', bytes: frame });
      rx.emit({ kind: 'pdu', role: 'link', protocol: 'ethernet', direction: 'up', iface: 'eth0', length: frame.length, headerLength: 14, text: `${a.mac} > ${b.mac}, IPv4`, header: ethFields });
      rx.emit({ kind: 'pdu', role: 'network', protocol: 'ipv4', direction: 'up', iface: 'eth0', length: 20 + tcpLength, headerLength: 20, text: `${a.ip} > ${b.ip}: TCP ttl 64 id ${id}`, header: ipFields });
      rx.emit({ kind: 'pdu', role: 'transport', protocol: 'tcp', direction: 'up', length: tcpLength, headerLength: 20 + optionsLength, text, header: fields, connection });
      options.onArrive?.();
    });
  }
}

export const REQUEST = 'GET / HTTP/1.0\r\n\r\n';
export const RESPONSE = 'HTTP/1.0 200 OK\r\n\r\n';

/**
 * The textbook connection with ISNs 0 (client) and 0 (server): handshake, an 18-byte
 * request, a 19-byte response, the client closes first and waits in TIME-WAIT for 2*MSL.
 * With `loseRequest`, the first copy of the request is lost and retransmitted after 1 s.
 */
export function playTextbook(world: FakeTcpWorld, options: { loseRequest?: boolean } = {}): void {
  const q = REQUEST.length;
  const r = RESPONSE.length;
  world.state('server', 'CLOSED', 'LISTEN', 'listen()');
  world.state('client', 'CLOSED', 'SYN-SENT', 'connect()');
  world.send('client', { flags: ['SYN'], seq: 0, ack: 0, mss: 1460 }, {
    onArrive: () => {
      world.state('server', 'LISTEN', 'SYN-RECEIVED', 'rcv SYN');
      world.send('server', { flags: ['SYN', 'ACK'], seq: 0, ack: 1, mss: 1460 }, {
        onArrive: () => {
          world.state('client', 'SYN-SENT', 'ESTABLISHED', 'rcv SYN,ACK');
          world.send('client', { flags: ['ACK'], seq: 1, ack: 1 }, { onArrive: () => world.state('server', 'SYN-RECEIVED', 'ESTABLISHED', 'rcv ACK') });
          const request: SegmentSpec = { flags: ['PSH', 'ACK'], seq: 1, ack: 1, payload: REQUEST };
          const onRequest = (): void => {
            world.send('server', { flags: ['PSH', 'ACK'], seq: 1, ack: 1 + q, payload: RESPONSE }, {
              onArrive: () => {
                world.state('client', 'ESTABLISHED', 'FIN-WAIT-1', 'close()');
                world.send('client', { flags: ['FIN', 'ACK'], seq: 1 + q, ack: 1 + r }, { onArrive: onClientFin });
              },
            });
          };
          if (options.loseRequest) {
            world.send('client', request, { lose: true });
            world.timer('client', 'RTO', 'set', NS_PER_S);
            world.at(NS_PER_S, () => {
              world.timer('client', 'RTO', 'fired');
              world.send('client', request, { retransmission: true, onArrive: onRequest });
            });
          } else {
            world.send('client', request, { onArrive: onRequest });
          }
        },
      });
    },
  });

  function onClientFin(): void {
    world.state('server', 'ESTABLISHED', 'CLOSE-WAIT', 'rcv FIN');
    world.send('server', { flags: ['ACK'], seq: 1 + r, ack: 2 + q }, { onArrive: () => world.state('client', 'FIN-WAIT-1', 'FIN-WAIT-2', 'rcv ACK of FIN') });
    world.state('server', 'CLOSE-WAIT', 'LAST-ACK', 'close()');
    world.send('server', { flags: ['FIN', 'ACK'], seq: 1 + r, ack: 2 + q }, {
      onArrive: () => {
        world.state('client', 'FIN-WAIT-2', 'TIME-WAIT', 'rcv FIN');
        world.timer('client', 'TIME-WAIT', 'set', 2 * MSL_NS);
        world.send('client', { flags: ['ACK'], seq: 2 + q, ack: 2 + r }, { onArrive: () => world.state('server', 'LAST-ACK', 'CLOSED', 'rcv ACK of FIN') });
        world.at(2 * MSL_NS, () => {
          world.timer('client', 'TIME-WAIT', 'fired');
          world.state('client', 'TIME-WAIT', 'CLOSED', '2*MSL timeout');
        });
      },
    });
  }
}
