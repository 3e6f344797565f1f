// Capture files in the page, in a real browser (Debian's Chromium through playwright-core):
// a tcpdump capture opened with the file input and another dropped on the page are shown in
// the run's views — event list, encapsulation in each model, the ladder of each connection,
// the topology of the hosts — and the Network chooser goes back to the run. A file that is
// not a capture is refused with a message. Any console error fails the suite.

import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventRows, haveChromium, openSite, SCREENSHOTS, type PageSession } from './support/page.ts';

const FIXTURES = new URL('../../../fixtures/captures/', import.meta.url).pathname;

describe.skipIf(!haveChromium)('capture files in the page', () => {
  let site: PageSession;
  beforeAll(async () => {
    site = await openSite();
  }, 120_000);
  afterAll(async () => {
    await site?.close();
  });
  afterEach(() => {
    expect(site.errors, 'console errors in the page').toEqual([]);
  });

  it('opens a pcap: its frames in the event list, the encapsulation in each model, the ladder of a connection', async () => {
    // The page starts its scenario's run by itself; the capture is opened without waiting for it.
    const page = await site.newPage('#scenario=three-way-handshake');
    await page.waitForSelector('#open-capture');
    await page.setInputFiles('#open-capture', join(FIXTURES, 'http-curl.pcap'));
    await page.waitForFunction(() => document.body.dataset['capture'] === '1:open');
    expect(await page.textContent('#status')).toBe('✓ http-curl.pcap: 18 frames (pcap), 2 conversations');
    expect(await page.$eval('#network', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('capture: http-curl.pcap');
    // Each frame sent by its source host and received by its destination: 36 rows.
    const rows = await eventRows(page);
    expect(rows).toHaveLength(36);
    expect(rows.join('\n')).toContain('ARP, Request who-has 10.77.0.1 tell 10.77.0.2, length 28');
    // The topology shows the two hosts by address on the capture's segment.
    expect(await page.textContent('#topology')).toContain('10.77.0.1');
    expect(await page.textContent('#topology')).toContain('10.77.0.2');

    // The HTTP request, layer by layer, its TCP and HTTP headers from the captured bytes.
    await page.locator('.event-list tr', { hasText: 'Flags [P.], seq 1378263566:1378263654' }).first().click();
    const tcp = page.locator('.encapsulation .header[data-protocol="tcp"]');
    await expect.poll(async () => tcp.count()).toBe(1);
    const field = (name: string) => tcp.locator('tr.field', { has: page.locator(`td:first-child:text-is("${name}")`) }).locator('td.value');
    expect(await field('Source port').textContent()).toBe('53326');
    expect(await field('Sequence number').textContent()).toBe('1378263566');
    expect(await page.locator('.encapsulation .header[data-protocol="http"]').count()).toBe(1);
    expect(await page.locator('.encapsulation .layer').count()).toBe(5);
    await page.selectOption('#model', 'tcpip-4');
    expect(await page.locator('.encapsulation .layer').count()).toBe(4);
    await page.screenshot({ path: join(SCREENSHOTS, 'capture-encapsulation.png') });

    // The ladder of the curl connection: all twelve segments arrive.
    await page.click('#tab-ladder');
    await page.selectOption('#ladder-connection', '10.77.0.1:53326-10.77.0.2:8000');
    expect(await page.locator('.ladder g.row-arrow').count()).toBe(12);
    expect(await page.locator('.ladder .arrow.lost').count()).toBe(0);
    expect(await page.textContent('.ladder')).toContain('10.77.0.1:53326');
    await page.screenshot({ path: join(SCREENSHOTS, 'capture-ladder.png') });

    // A second capture joins the Network chooser; the chooser goes back to the first.
    await page.setInputFiles('#open-capture', join(FIXTURES, 'ping-fragments.pcap'));
    await page.waitForFunction(() => document.body.dataset['capture'] === '2:open');
    await expect.poll(async () => page.$eval('#network', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('capture: ping-fragments.pcap');
    expect((await eventRows(page)).join('\n')).toContain('IP 10.77.0.1 > 10.77.0.2: ICMP echo request, id 30456, seq 1, length 1480');
    const options = await page.$$eval('#network option', (o) => o.map((x) => x.textContent));
    expect(options.filter((o) => o?.startsWith('capture: '))).toEqual(['capture: http-curl.pcap', 'capture: ping-fragments.pcap']);
    await page.selectOption('#network', { label: 'capture: http-curl.pcap' });
    expect(await eventRows(page)).toHaveLength(36);
    await page.close();
  }, 120_000);

  it('opens a capture dropped on the page, and refuses a file that is not one', async () => {
    const page = await site.newPage('#scenario=three-way-handshake');
    await page.waitForSelector('#open-capture');
    const drop = async (name: string, bytes: number[]): Promise<void> => {
      await page.evaluate(
        ({ name, bytes }) => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(bytes)], name));
          document.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
          document.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        },
        { name, bytes },
      );
    };
    await drop('dns-dig.pcap', [...readFileSync(join(FIXTURES, 'dns-dig.pcap'))]);
    await page.waitForFunction(() => document.body.dataset['capture']?.endsWith(':open'));
    expect(await page.textContent('#status')).toBe('✓ dns-dig.pcap: 12 frames (pcap), 6 conversations');
    expect((await eventRows(page)).join('\n')).toContain('IP 10.77.0.1.48190 > 10.77.0.2.53: 2390+ [1au] A? www.Example.Lab. (56)');
    await drop('notes.txt', [...new TextEncoder().encode('not a capture at all')]);
    await page.waitForFunction(() => document.body.dataset['capture'] === 'error');
    expect(await page.textContent('#status')).toMatch(/^✗ notes\.txt is not a capture file: not a pcap or pcapng file/);
    // The capture opened before is still shown.
    expect(await page.$eval('#network', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('capture: dns-dig.pcap');
    await page.close();
  }, 120_000);
});
