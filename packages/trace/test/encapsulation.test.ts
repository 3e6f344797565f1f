import { describe, expect, it } from 'vitest';
import { encapsulation } from '../src/encapsulation.ts';
import { expectGolden } from './support/golden.ts';
import { arpBytes, ethernetFrame, tcpFrame } from './support/frames.ts';

const request = new TextEncoder().encode('GET / HTTP/1.0\r\n\r\n');
const frame = tcpFrame({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }, { src: '10.0.1.10', dst: '10.0.2.10', id: 7 }, { sport: 49152, dport: 80, seq: 1, ack: 1, flags: ['PSH', 'ACK'], win: 65535, payload: request });

describe('encapsulation', () => {
  it('draws one data frame in the TCP/IP five-layer model with every header field (golden)', () => {
    const text = encapsulation(frame, { model: 'tcpip-5' });
    expectGolden('encapsulation-tcpip-5.txt', text);
    expect(text).toContain('Overhead: preamble+SFD 8 + Ethernet 14 + IPv4 20 + TCP 20 + FCS 4 = 66 bytes\n          around 18 bytes of application data: 84 bytes on the wire, 79% overhead');
    expect(text).toMatch(/\n\s+8\s+1 B\s+TTL\s+64\n/);
  });

  it('merges link and physical into one network-access layer in the four-layer model (golden)', () => {
    const text = encapsulation(frame, { model: 'tcpip-4', fields: false });
    expectGolden('encapsulation-tcpip-4.txt', text);
    expect(text).toMatch(/1 Link \(network access\) \| pre\+SFD 8 \| Ethernet 14 \|/);
    expect(text).not.toContain('Physical');
  });

  it('shows OSI presentation and session inside the application, with the note (golden)', () => {
    const text = encapsulation(frame, { model: 'osi-7', fields: false });
    expectGolden('encapsulation-osi-7.txt', text);
    expect(text).toContain('6 Presentation');
    expect(text).toContain('5 Session');
    expect(text).toContain('have no layer of their own in TCP/IP');
  });

  it('draws ARP inside the link layer and counts padding', () => {
    const arp = ethernetFrame('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:01', 0x0806, arpBytes(1, '02:00:00:00:00:01', '10.0.1.10', '00:00:00:00:00:00', '10.0.1.1'));
    const text = encapsulation(arp, { fields: true });
    expect(text).toMatch(/2 Link: ARP\s+\|\s+ARP 28\s+\|/);
    expect(text).toContain('padding 18');
    expect(text).toContain('Operation               1 (request)');
  });

  it('says when the bytes do not check out', () => {
    const broken = frame.slice();
    broken[20] = broken[20]! ^ 0xff;
    expect(encapsulation(broken)).toContain('! Ethernet FCS does not match');
  });
});
