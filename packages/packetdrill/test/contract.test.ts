// The runner drives any transport through core's contracts only: netlayers' TCP seen
// through a proxy that exposes nothing but the StreamTransport/StreamSocket contract (no
// pause/resume) still runs the suite's scripts, and a TCP that corrupts its checksums is
// caught with a message saying so.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IpService, StreamListener, StreamSocket, StreamTransport } from '@netlayers/core';
import { TcpLayer } from '@netlayers/transport';
import { describe, expect, it } from 'vitest';
import { runPacketdrillFile } from '../src/file.ts';
import { runPacketdrillScript } from '../src/runner.ts';
import type { StackFactory } from '../src/stack.ts';

const scripts = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts');

/** Only the contract's members: what a student's TCP offers. */
function contractOnly<T extends object>(target: T, hide: readonly string[]): T {
  return new Proxy(target, {
    get(t, p) {
      if (typeof p === 'string' && hide.includes(p)) return undefined;
      const v = Reflect.get(t, p, t) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
}

const contractStack: StackFactory = (host) => {
  const tcp = new TcpLayer(host.node, host.ip);
  const stream: StreamTransport = {
    name: 'contract-only',
    connect: (o) => contractOnly<StreamSocket>(tcp.connect(o), ['pause', 'resume', 'tcb', 'stats']),
    listen: (o) => {
      const listener = tcp.listen(o);
      const wrapped = contractOnly<StreamListener>(listener, []);
      return new Proxy(wrapped, {
        get(t, p) {
          if (p === 'on') {
            return (event: string, fn: (s: StreamSocket) => void) => {
              listener.on(event as 'connection', event === 'connection' ? (s: StreamSocket) => fn(contractOnly(s, ['pause', 'resume', 'tcb', 'stats'])) : (fn as never));
              return t;
            };
          }
          return Reflect.get(t, p, t) as unknown;
        },
      });
    },
  };
  return { stream };
};

describe('a transport seen only through the stream contract', () => {
  for (const name of ['handshake/passive-open.pkt', 'handshake/active-open.pkt', 'teardown/active-close.pkt', 'teardown/passive-close.pkt', 'rst/rst-in-window-challenge.pkt', 'data/nagle.pkt', 'retransmission/rto-backoff.pkt', 'handshake/synack-retransmit.pkt']) {
    it(`runs ${name}`, () => {
      const r = runPacketdrillFile(join(scripts, name), { stack: contractStack, displayName: name });
      expect(r.failure?.message).toBeUndefined();
    });
  }

  it('a factory that takes no options reports the script\'s options as unsupported', () => {
    const r = runPacketdrillFile(join(scripts, 'persist/zero-window-advertised.pkt'), { stack: contractStack, displayName: 'zw.pkt' });
    expect(r.failure?.headline).toBe('unsupported: option --tcp_rmem (this stack takes no options)');
  });

  it('without pause/resume, reading is not seen by the stack: no window update follows a read', () => {
    const r = runPacketdrillFile(join(scripts, 'data/receive-and-read.pkt'), { stack: contractStack, displayName: 'rr.pkt' });
    expect(r.failure?.message.split('\n')[0]).toBe('rr.pkt:16: outbound packet sent too late: expected at 0.200000 (tolerance ±0.004000), actual 0.400000');
  });
});

describe('a TCP with broken checksums', () => {
  it('is reported with the bad checksum', () => {
    const corrupting: StackFactory = (host) => {
      const ip: IpService = {
        ...host.ip,
        send: (packet, options) => {
          const bytes = packet.bytes;
          bytes[16] = bytes[16]! ^ 0xff; // the TCP checksum's first byte
          return host.ip.send(packet, options);
        },
        registerProtocol: (p, h, e) => host.ip.registerProtocol(p, h, e),
        sourceAddressFor: (d) => host.ip.sourceAddressFor(d),
        isLocalAddress: (a) => host.ip.isLocalAddress(a),
        mtuTowards: (d) => host.ip.mtuTowards(d),
        sendUnreachable: (i, c) => host.ip.sendUnreachable(i, c),
      };
      return { stream: new TcpLayer(host.node, ip) };
    };
    const r = runPacketdrillScript('0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n+0 < S 0:0(0) win 1000 <mss 1000>\n+0 > S. 0:0(0) ack 1 <mss 1460>\n', { stack: corrupting, file: 'x.pkt' });
    expect(r.failure?.headline).toMatch(/^outbound packet does not match the script: the stack sent an invalid TCP segment: bad TCP checksum 0x[0-9a-f]+$/);
    expect(r.failure?.message).toContain('actual at 0.000000: invalid TCP segment (bad TCP checksum');
  });
});

describe('a stack that never settles', () => {
  it('is stopped with a message instead of hanging the runner', () => {
    const looping: StackFactory = (host) => {
      const tcp = new TcpLayer(host.node, host.ip);
      const spin = (): void => {
        host.node.scheduler.schedule(0, spin);
      };
      return {
        stream: {
          name: 'spinning',
          connect: (o) => tcp.connect(o),
          listen: (o) => {
            spin();
            return tcp.listen(o);
          },
        },
      };
    };
    const r = runPacketdrillScript('0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n+1 < S 0:0(0) win 1000\n', { stack: looping, file: 'spin.pkt' });
    expect(r.failure?.message.split('\n')[0]).toBe('spin.pkt:4: the stack under test ran 1000000 scheduler events before this line without settling (a timer loop?); virtual time 0.000000');
  });
});
