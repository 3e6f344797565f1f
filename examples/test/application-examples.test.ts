// The application examples run end to end over the full stack (routed networks, real TCP,
// UDP, IPv4, ARP, Ethernet) and show what they promise.

import { describe, it, expect } from 'vitest';
import { main as httpGet } from '../http-get.ts';
import { main as dnsLookup } from '../dns-lookup.ts';
import { main as dhcpBoot } from '../dhcp-boot.ts';
import { main as smtpSend } from '../smtp-send.ts';
import { main as ftpSession } from '../ftp-session.ts';

async function output(run: (write: (line: string) => void) => Promise<void>): Promise<string> {
  const lines: string[] = [];
  await run((line) => lines.push(line));
  return lines.join('\n');
}

/** Where `text` first appears in `out`, with any run of spaces in `text` matching any run in `out` (columns are padded). */
function find(out: string, text: string): number {
  const pattern = text.split(/ +/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' +');
  return out.search(new RegExp(pattern));
}

describe('examples/http-get.ts', () => {
  it('resolves server.lab, then GETs / across the router, then pipelines two requests', async () => {
    const out = await output((w) => httpGet(w, false));
    const query = find(out, 'client   application ↓ query id');
    const get = find(out, 'client   application ↓ GET / HTTP/1.1');
    const served = find(out, 'server   application ↑ GET / HTTP/1.1');
    const answered = find(out, 'client   application ↑ HTTP/1.1 200 OK');
    expect(query).toBeGreaterThan(0);
    expect(get).toBeGreaterThan(query);
    expect(served).toBeGreaterThan(get);
    expect(answered).toBeGreaterThan(served);
    expect(out).toContain('<h1>Hello from server.lab</h1><p>You are 10.0.1.10:');
    expect(out).toMatch(/\/stream {2}-> 200, Transfer-Encoding: chunked, body "chunk one\\nchunk two\\n"/);
    expect(out).toContain('/missing -> 404 Not Found');
    expect(find(out, 'server   application ↑ GET /stream')).toBeLessThan(find(out, 'server   application ↑ GET /missing'));
  });

  it('shows every layer with --trace', async () => {
    const out = await output((w) => httpGet(w, true));
    expect(out).toMatch(/transport .*Flags \[S\]/);
    expect(out).toMatch(/network/);
    expect(out).toMatch(/ARP/);
  });
});

describe('examples/dns-lookup.ts', () => {
  it('answers A, CNAME and PTR, reports NXDOMAIN, and retries after a timeout', async () => {
    const out = await output((w) => dnsLookup(w, false));
    expect(out).toMatch(/resolve server\.lab:[\s\S]*-> 10\.0\.2\.10/);
    expect(out).toMatch(/CNAME server\.lab, A 10\.0\.2\.10/);
    expect(out).toMatch(/-> mail\.lab/);
    expect(out).toMatch(/ENOTFOUND: nothing\.lab: no such name \(NXDOMAIN\)/);
    expect(out).toMatch(/-> 10\.0\.2\.25 after 100\d\.\d ms \(retransmissions: 1\)/);
  });
});

describe('examples/dhcp-boot.ts', () => {
  it('leases distinct addresses to three hosts, which then route and renew', async () => {
    const out = await output((w) => dhcpBoot(w, false));
    expect(out).toMatch(/0\.0\.0\.0|DHCPDISCOVER/);
    const leases = [...out.matchAll(/^laptop\d: (10\.0\.1\.\d+)\/24 router 10\.0\.1\.1 dns 10\.0\.2\.53/gm)].map((m) => m[1]);
    expect(leases).toHaveLength(3);
    expect(new Set(leases).size).toBe(3);
    expect(out).toContain('laptop1 pings 10.0.2.10 through its new default route: reply');
    expect(out).toMatch(/laptop1 +application +● eth0: BOUND → RENEWING \(T1 expired\)/);
    expect(out).toMatch(/laptop1 is BOUND with 10\.0\.1\.\d+\/24/);
  });
});

describe('examples/smtp-send.ts', () => {
  it('runs the SMTP dialogue and stores the message unstuffed', async () => {
    const out = await output((w) => smtpSend(w, false));
    const order = ['S: 220 ', 'C: EHLO client.lab', 'C: MAIL FROM:<alice@client.lab>', 'C: RCPT TO:<bob@mail.lab>', 'S: 354 ', 'S: 250 2.0.0 OK queued as 000001', 'S: 221 '].map((s) => out.indexOf(s));
    expect(order.every((v, i) => v > 0 && (i === 0 || v > order[i - 1]!))).toBe(true);
    expect(out).toContain('  | .this line starts with a dot');
  });
});

describe('examples/ftp-session.ts', () => {
  it('uses a separate data connection per transfer and moves 1 MB intact (SHA-256)', async () => {
    const out = await output((w) => ftpSession(w, false, 1024 * 1024));
    expect(out).toMatch(/control +10\.0\.1\.10:\d+ +-> 10\.0\.2\.21:21/);
    const dataPorts = [...out.matchAll(/^ {2}(LIST|STOR|RETR) +10\.0\.1\.10:(\d+) +-> 10\.0\.2\.21:(\d+)$/gm)];
    expect(dataPorts.map((m) => m[1])).toEqual(['LIST', 'STOR', 'RETR']);
    expect(new Set(dataPorts.map((m) => m[3])).size).toBe(3);
    expect(out).toContain('uploaded 1048576 bytes, downloaded 1048576 bytes; SHA-256 matches');
    expect(out).toMatch(/S: 227 Entering Passive Mode \(10,0,2,21,\d+,\d+\)/);
  });
});
