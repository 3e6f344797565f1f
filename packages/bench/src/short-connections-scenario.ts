// The short-connection scenario shared by short-connections.ts (the rate) and
// short-connections-counts.ts (what one connection costs): a client and a server host on one
// 10 Gbit/s, 10 µs cable; each connection opens (RFC 9293 §3.5), sends a 33-byte request,
// gets a 27-byte response and closes (§3.6, the client through TIME-WAIT with a 100 ms MSL so
// ports recycle); `concurrency` at once, a new one started as each closes.

import type { Lab } from './load-lab.ts';

type Network = InstanceType<Lab['Network']>;
type ClientSocket = ReturnType<ReturnType<Network['addHost']>['tcp']['connect']>;

export interface ShortConnections {
  readonly net: Network;
  /** Open the first `concurrency` connections; then run the network until idle. */
  start(): void;
  /** Connections closed so far. */
  finished(): number;
}

/** Build the scenario on `lab` (this checkout's or another's); `onClose` sees each client socket as it closes. */
export function shortConnections(lab: Lab, options: { count: number; concurrency: number; seed: number; onClose?: (socket: ClientSocket) => void }): ShortConnections {
  const { count, concurrency, seed, onClose } = options;
  for (const [name, value] of [['count', count], ['concurrency', concurrency], ['seed', seed]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  const tcp = { msl: '100ms', ephemeralPorts: [1024, 65535] } as const;
  const net = new lab.Network({ seed });
  const server = net.addHost('server', { tcp });
  const client = net.addHost('client', { tcp });
  net.connect([server, '10.0.0.1/24'], [client, '10.0.0.2/24'], { bandwidth: '10Gbps', delay: '10us', queueLimit: 10_000 });
  net.runFor('1ms');
  const response = new TextEncoder().encode('HTTP/1.1 204 No Content\r\n\r\n');
  const request = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: server\r\n\r\n');
  server.tcp.listen({ port: 80, backlog: 4096 }).on('connection', (s) => {
    s.on('data', () => s.end(response));
  });
  let started = 0;
  let finished = 0;
  const open = (): void => {
    if (started >= count) return;
    started++;
    const s = client.tcp.connect({ remoteAddress: '10.0.0.1', remotePort: 80 });
    s.on('connect', () => s.write(request));
    s.on('end', () => s.end());
    s.on('close', () => {
      onClose?.(s);
      finished++;
      open();
    });
  };
  return {
    net,
    start: () => {
      for (let i = 0; i < concurrency; i++) open();
    },
    finished: () => finished,
  };
}
