import { describe, expect, it } from 'vitest';
import { tcpdump, tcpdumpLineFromPdu } from '../src/tcpdump.ts';
import { textbookEvents } from './support/textbook.ts';

describe('tcpdump lines', () => {
  it('renders what each node sent, from the frames at its NIC: time, node, interface, addresses, flags, seq, ack, win, options, length', () => {
    const { events } = textbookEvents();
    const lines = tcpdump(events);
    expect(lines.slice(0, 4)).toEqual([
      '0.000000 client IP 10.0.1.10.49152 > 10.0.2.10.80: Flags [S], seq 0, win 65535, options [mss 1460], length 0',
      '0.002000 server IP 10.0.2.10.80 > 10.0.1.10.49152: Flags [S.], seq 0, ack 1, win 65535, options [mss 1460], length 0',
      '0.004000 client IP 10.0.1.10.49152 > 10.0.2.10.80: Flags [.], ack 1, win 65535, length 0',
      '0.004000 client IP 10.0.1.10.49152 > 10.0.2.10.80: Flags [P.], seq 1:19, ack 1, win 65535, length 18: HTTP: GET / HTTP/1.0',
    ]);
    expect(lines).toHaveLength(9);
  });

  it('shows one node\'s view (sent and received) when a node is chosen', () => {
    const { events } = textbookEvents();
    const server = tcpdump(events, { node: 'server' });
    expect(server).toHaveLength(9); // 5 segments received, 4 sent
    expect(server[0]).toBe('0.002000 server eth0 IP 10.0.1.10.49152 > 10.0.2.10.80: Flags [S], seq 0, win 65535, options [mss 1460], length 0');
  });

  it('decodes frame bytes on a port like tcpdump on an interface, lost frames marked', () => {
    const { events } = textbookEvents({ loseRequest: true });
    const lines = tcpdump(events, { node: 'client', iface: 'eth0', actions: ['tx', 'rx', 'lost'] });
    expect(lines[0]).toBe('0.000000 client eth0 IP 10.0.1.10.49152 > 10.0.2.10.80: Flags [S], seq 0, win 65535, options [mss 1460], length 0');
    expect(lines[1]).toBe('0.004000 client eth0 IP 10.0.2.10.80 > 10.0.1.10.49152: Flags [S.], seq 0, ack 1, win 65535, options [mss 1460], length 0');
    expect(lines.filter((l) => l.endsWith('[lost on the medium]'))).toEqual([
      '0.004000 client eth0 IP 10.0.1.10.49152 > 10.0.2.10.80: Flags [P.], seq 1:19, ack 1, win 65535, length 18: HTTP: GET / HTTP/1.0 [lost on the medium]',
    ]);
    const withLink = tcpdump(events, { node: 'client', linkHeaders: true });
    expect(withLink[0]).toContain('02:00:00:00:00:01 > 02:00:00:00:00:02, length 64: IP 10.0.1.10.49152 > 10.0.2.10.80');
  });

  it('prints a pdu event by the layer\'s own text', () => {
    const line = tcpdumpLineFromPdu({ kind: 'pdu', time: 1_500_000, node: 'h1', role: 'network', protocol: 'icmp', iface: 'eth0', direction: 'down', length: 64, headerLength: 8, text: '10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64', header: { protocol: 'generic', name: 'icmp', values: [] } });
    expect(line).toBe('0.001500 h1 eth0 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64');
  });
});
