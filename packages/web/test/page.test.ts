// The page in a real browser (Debian's Chromium through playwright-core): the real stack runs
// in the page's worker, and what the DOM shows is checked against what the scenario did on
// the wire. Any console error fails the suite. Screenshots go to packages/web/test-results/.

import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Network, setRunOverrides } from '@netlayers/lab';
import { buildLadder, TraceRecorder, type LadderArrow } from '@netlayers/trace';
import { eventRows, haveChromium, openSite, SCREENSHOTS, waitForRun, type PageSession } from './support/page.ts';

const haveTshark = (() => {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!haveChromium)('the page in Chromium', () => {
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

  it('runs the handshake in the page: SYN, SYN-ACK, ACK with the textbook numbers and the states', async () => {
    const page = await site.newPage('#scenario=three-way-handshake');
    expect(await waitForRun(page)).toMatch(/^✓ \d+ events/);
    await page.selectOption('#filter-protocol', 'tcp');
    const rows: string[] = [];
    // Step through every TCP event with the keyboard, as a class would.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i < 40; i++) {
      rows.push((await page.textContent('.event-list tr.current')) ?? '');
      await page.keyboard.press('ArrowRight');
    }
    const text = rows.join('\n');
    expect(text).toMatch(/Flags \[S\], seq 0,/);
    expect(text).toMatch(/Flags \[S\.\], seq 1000, ack 1,/);
    expect(text).toMatch(/Flags \[\.\], ack 1001,/);
    expect(text).toMatch(/CLOSED → SYN-SENT/);
    expect(text).toMatch(/LISTEN → SYN-RECEIVED/);
    expect(text).toMatch(/SYN-SENT → ESTABLISHED/);
    expect(text).toMatch(/SYN-RECEIVED → ESTABLISHED/);
    await page.screenshot({ path: join(SCREENSHOTS, 'handshake.png') });
    await page.close();
  });

  it('shows the SYN layer by layer, with its TCP fields, in the five-layer and the OSI model', async () => {
    const page = await site.newPage('#scenario=three-way-handshake');
    await waitForRun(page);
    await page.selectOption('#filter-protocol', 'tcp');
    await page.locator('.event-list tr', { hasText: 'Flags [S], seq 0,' }).first().click();
    const tcp = page.locator('.encapsulation .header[data-protocol="tcp"]');
    await expect.poll(async () => tcp.count()).toBe(1);
    const field = (name: string) => tcp.locator('tr.field', { has: page.locator(`td:first-child:text-is("${name}")`) }).locator('td.value');
    expect(await field('Sequence number').textContent()).toBe('0');
    expect(await field('Destination port').textContent()).toBe('80');
    expect(await field('Control bits').textContent()).toBe('SYN');
    expect(await page.textContent('.encapsulation .layer[data-layer="Transport"] h3')).toContain('4 · Transport');
    expect(await page.locator('.encapsulation .layer').count()).toBe(5);
    // Selecting a field highlights its bytes in the hex view.
    await tcp.locator('tr.field').first().click();
    expect(await page.locator('.hex-byte.hl').count()).toBeGreaterThan(0);
    await page.selectOption('#model', 'osi-7');
    expect(await page.locator('.encapsulation .layer').count()).toBe(7);
    expect(await page.textContent('.encapsulation')).toContain('Presentation');
    expect(await page.locator('.encapsulation .layer[data-layer="Transport"] .header[data-protocol="tcp"]').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'encapsulation-osi.png') });
    await page.close();
  });

  it('runs the teardown to TIME-WAIT and CLOSED', async () => {
    const page = await site.newPage('#scenario=four-way-teardown');
    expect(await waitForRun(page)).toMatch(/^✓/);
    await page.selectOption('#filter-protocol', 'tcp');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('End');
    const all = (await eventRows(page)).join('\n');
    expect(all).toMatch(/FIN-WAIT-1 → FIN-WAIT-2/);
    expect(all).toMatch(/ESTABLISHED → CLOSE-WAIT/);
    expect(all).toMatch(/LAST-ACK → CLOSED/);
    expect(all).toMatch(/FIN-WAIT-2 → TIME-WAIT/);
    expect(all).toMatch(/TIME-WAIT → CLOSED/);
    await page.click('#tab-ladder');
    expect(await page.textContent('.ladder')).toContain('TIME-WAIT');
    await page.screenshot({ path: join(SCREENSHOTS, 'teardown-ladder.png') });
    await page.close();
  });

  it('re-runs with loss set in the options and shows a retransmission', async () => {
    const page = await site.newPage('#scenario=bulk-transfer');
    await waitForRun(page);
    await page.fill('#loss', '5');
    await page.fill('#seed', '3');
    await page.click('#run');
    expect(await waitForRun(page, 2)).toMatch(/^✓/);
    await page.selectOption('#filter-protocol', 'tcp');
    const retransmitted = await page.evaluate(() => document.querySelectorAll('.event-list tbody tr').length);
    expect(retransmitted).toBeGreaterThan(0);
    await page.click('#tab-output');
    expect(await page.textContent('.output')).toMatch(/retransmi/i);
    await page.close();
  });

  it('re-runs in the same warm worker, and the re-run is the same run: same events, same pcapng', async () => {
    // Loss and duplication with a seed: the run draws from the random stream, so any state a
    // kept worker carried from one run to the next would show.
    const page = await site.newPage(`#scenario=bulk-transfer&args=${encodeURIComponent('--size 300KB')}&loss=2&duplicate=2&seed=3`);
    const first = await waitForRun(page);
    expect(first).toMatch(/^✓ \d+ events/);
    expect(await page.getAttribute('body', 'data-worker-runs')).toBe('1');
    const pcapng = async (): Promise<Buffer> => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-pcapng')]);
      const dir = mkdtempSync(join(tmpdir(), 'netlayers-web-'));
      await download.saveAs(join(dir, 'run.pcapng'));
      return readFileSync(join(dir, 'run.pcapng'));
    };
    const lastRows = async (): Promise<string[]> => {
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('End');
      return (await eventRows(page)).map((r) => r.replace(/^\s*▶\s*/, ''));
    };
    const firstCapture = await pcapng();
    const firstRows = await lastRows();
    await page.click('#run');
    const second = await waitForRun(page, 2);
    // The second run was served by the worker of the first: no new worker, its JIT warm.
    expect(await page.getAttribute('body', 'data-worker-runs')).toBe('2');
    const timings = JSON.parse((await page.getAttribute('body', 'data-timings')) ?? '{}') as Record<string, number>;
    expect(timings['workerRuns']).toBe(2);
    // The status line ends with the wall-clock time of the run: everything before it is the same.
    expect(second.replace(/ in \d+ ms$/, '')).toBe(first.replace(/ in \d+ ms$/, ''));
    expect(await lastRows()).toEqual(firstRows);
    const secondCapture = await pcapng();
    expect(secondCapture.length).toBeGreaterThan(300_000);
    expect(secondCapture.equals(firstCapture), 'the re-run’s pcapng is byte for byte the first run’s').toBe(true);
    await page.close();
  }, 120_000);

  it('cancels a run that is going, and runs the next scenario in a new worker', async () => {
    const page = await site.newPage('#scenario=ping');
    await waitForRun(page);
    expect(await page.isDisabled('#cancel')).toBe(true);
    await page.selectOption('#scenario', 'bulk-transfer');
    await page.fill('#args', '--size 100MB');
    await page.click('#run');
    await page.waitForFunction(() => document.body.dataset['run'] === '3:running');
    expect(await page.isDisabled('#cancel')).toBe(false);
    await page.click('#cancel');
    expect(await page.getAttribute('body', 'data-run')).toBe('3:cancelled');
    expect(await page.textContent('#status')).toContain('cancelled');
    expect(await page.isDisabled('#cancel')).toBe(true);
    // The cancelled run never reports back, and the next scenario runs as usual.
    await page.fill('#args', '');
    await page.selectOption('#scenario', 'three-way-handshake');
    expect(await waitForRun(page, 4)).toMatch(/^✓ \d+ events/);
    expect(await page.getAttribute('body', 'data-worker-runs'), 'a new worker replaced the cancelled one').toBe('1');
    await page.selectOption('#filter-protocol', 'tcp');
    expect((await eventRows(page)).join('\n')).toMatch(/Flags \[S\], seq 0,/);
    await page.waitForTimeout(500);
    expect(await page.getAttribute('body', 'data-run')).toBe('4:done');
    await page.close();
  }, 120_000);

  it.skipIf(!haveTshark)('downloads a pcapng that tshark reads with valid checksums', async () => {
    const page = await site.newPage('#scenario=three-way-handshake');
    await waitForRun(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-pcapng')]);
    const dir = mkdtempSync(join(tmpdir(), 'netlayers-web-'));
    const file = join(dir, 'run.pcapng');
    await download.saveAs(file);
    expect(existsSync(file)).toBe(true);
    const out = execFileSync('tshark', ['-r', file, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-T', 'fields', '-e', 'tcp.flags.str', '-e', 'tcp.seq_raw', '-e', '_ws.expert.message', '-Y', 'tcp'], { encoding: 'utf8' });
    expect(out).toMatch(/S/);
    expect(out).not.toMatch(/[Bb]ad checksum|incorrect/);
    writeFileSync(join(dir, 'tshark.txt'), out);
    await page.close();
  });

  it.skipIf(!haveTshark)('downloads PPP links as PPP (LINKTYPE_PPP) in the pcapng: tshark decodes their IP and ICMP', async () => {
    // four-layer: every link is PPP in HDLC-like framing (RFC 1661/1662); the ping crosses two.
    const page = await site.newPage('#scenario=four-layer');
    await waitForRun(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-pcapng')]);
    const dir = mkdtempSync(join(tmpdir(), 'netlayers-web-'));
    const file = join(dir, 'four-layer.pcapng');
    await download.saveAs(file);
    const out = execFileSync('tshark', ['-r', file, '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|', '-e', 'frame.interface_name', '-e', 'frame.protocols', '-e', 'ip.src', '-e', '_ws.expert.message'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'tshark.txt'), out);
    const lines = out.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const line of lines) {
      const [iface, protocols, , expert] = line.split('|');
      expect(protocols, `${iface}: ${line}`).toMatch(/^ppp:/);
      expect(expert ?? '', line).not.toMatch(/[Mm]alformed|[Bb]ad checksum|incorrect/);
    }
    expect(lines.filter((l) => /^[^|]*\|ppp:ip:icmp/.test(l)).length, 'echo request and reply on each of the two links, both ends').toBeGreaterThanOrEqual(8);
    expect(lines.some((l) => l.split('|')[2] === '10.0.1.10')).toBe(true);
    await page.close();
  });

  it('marks on the ladder each frame the medium duplicated, in words and not by colour alone', async () => {
    // The duplicate option makes every link's medium send a second copy of every frame (100 %).
    const page = await site.newPage('#scenario=three-way-handshake&duplicate=100');
    expect(await waitForRun(page)).toMatch(/^✓/);
    expect(await page.inputValue('#duplicate')).toBe('100');
    expect((await eventRows(page)).some((r) => /frame duplicated/.test(r)), 'the medium duplicated frames').toBe(true);
    await page.click('#tab-ladder');
    const arrows = await page.$$eval('svg.ladder g.row-arrow', (gs) => gs.map((g) => ({ text: g.querySelector('.arrow-label')?.textContent ?? '', cls: g.querySelector('line')?.getAttribute('class') ?? '' })));
    const marked = arrows.filter((a) => a.text.startsWith('[duplicate] '));
    expect(marked.length).toBeGreaterThan(0);
    // The trace's own ladder of the same run (same script, same overrides, in Node), as its
    // text, Mermaid and SVG ladders draw it: the page shows the same arrows, copies marked alike.
    const connection = await page.inputValue('#ladder-connection');
    const recorders: TraceRecorder[] = [];
    const restore = setRunOverrides({ link: { impairments: { duplicate: 1 } } });
    const unsubscribe = Network.onCreate((network) => recorders.push(new TraceRecorder().record(network.trace)));
    try {
      const { main } = (await import('../../../examples/three-way-handshake.ts')) as { main: (write: (line: string) => void, args: readonly string[]) => Promise<unknown> };
      await main(() => {}, []);
    } finally {
      unsubscribe();
      restore();
    }
    const expected = buildLadder(recorders[0]!.events, { connection, relative: false })
      .rows.filter((r): r is LadderArrow => r.kind === 'arrow')
      .map((r) => `${r.duplicate ? '[duplicate] ' : ''}${r.retransmission ? '↻ ' : ''}${r.label}${r.lost ? ' ✗ lost' : ''}`);
    expect(expected.some((l) => l.startsWith('[duplicate] '))).toBe(true);
    expect(arrows.map((a) => a.text)).toEqual(expected);
    expect(marked.every((a) => a.cls.includes('duplicate'))).toBe(true);
    // The original SYN keeps its plain arrow, ahead of its marked copy.
    const syn = arrows.filter((a) => /^(\[duplicate\] )?SYN seq=\d+/.test(a.text));
    expect(syn.map((a) => a.text.startsWith('[duplicate] '))).toEqual([false, true]);
    await page.screenshot({ path: join(SCREENSHOTS, 'ladder-duplicate.png') });
    await page.close();
  });

  it('shows a script error as a message in the editor, not a blank page', async () => {
    const page = await site.newPage('#scenario=ping');
    await waitForRun(page);
    await page.click('#tab-editor');
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nthrow new Error("broken on purpose");\n');
    await page.click('#run');
    await waitForRun(page, 2);
    expect(await page.textContent('#editor-error')).toContain('broken on purpose');
    expect(await page.isVisible('header')).toBe(true);
    site.errors.length = 0;
    await page.close();
  });

  it('runs every shipped example as a scenario, without an error', async () => {
    const page = await site.newPage('#scenario=ping');
    await waitForRun(page);
    const ids = await page.$$eval('#scenario option', (options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(ids.length).toBeGreaterThanOrEqual(16);
    let run = 1;
    const failures: string[] = [];
    for (const id of ids.filter((i) => i !== 'bulk-transfer')) {
      await page.selectOption('#scenario', id);
      const status = await waitForRun(page, ++run, 60_000);
      if (!status.startsWith('✓')) failures.push(`${id}: ${status} ${await page.textContent('#editor-error')}`);
    }
    expect(failures).toEqual([]);
    await page.close();
  }, 180_000);

  it('opens a shared link at the same step of the same run', async () => {
    const page = await site.newPage('#scenario=three-way-handshake&model=tcpip-4&seed=5&step=42');
    await waitForRun(page);
    expect(await page.textContent('.event-list tr.current td.num')).toBe('43');
    expect(await page.inputValue('#model')).toBe('tcpip-4');
    expect(await page.inputValue('#seed')).toBe('5');
    const first = await page.textContent('.event-list tr.current td.what');
    // The same link opened again shows the same event: the run is deterministic.
    const again = await site.newPage('#scenario=three-way-handshake&model=tcpip-4&seed=5&step=42');
    await waitForRun(again);
    expect(await again.textContent('.event-list tr.current td.what')).toBe(first);
    await again.close();
    await page.close();
  });

  it('stays responsive while a 10 MB transfer runs in the worker', async () => {
    const page = await site.newPage('#scenario=ping');
    await waitForRun(page);
    await page.selectOption('#scenario', 'bulk-transfer');
    await page.fill('#args', '--size 10MB');
    await page.click('#run');
    await page.waitForFunction(() => document.body.dataset['run']?.endsWith(':running'));
    // A real click while the worker computes: answered by the next frame.
    const clicked = await page.evaluate(() => {
      const t0 = performance.now();
      document.getElementById('tab-output')!.click();
      return new Promise<{ ms: number; running: boolean }>((resolve) =>
        requestAnimationFrame(() => resolve({ ms: performance.now() - t0, running: document.body.dataset['run']?.endsWith(':running') === true })),
      );
    });
    expect(clicked.running, 'the click was answered while the run was still going').toBe(true);
    expect(clicked.ms, 'click to the next frame (ms)').toBeLessThan(200);
    // The page's main thread stays free while the run goes on: the longest gap between timer
    // ticks, measured for as long as the run is going (at most two seconds). A warm worker can
    // finish 10 MB in about a second, so the window ends with the run: drawing the results
    // afterwards is not "while the worker runs".
    const { longest, measuredMs } = await page.evaluate(
      () =>
        new Promise<{ longest: number; measuredMs: number }>((resolve) => {
          const start = performance.now();
          let last = start;
          let longest = 0;
          const tick = (): void => {
            const now = performance.now();
            const running = document.body.dataset['run']?.endsWith(':running') === true;
            if (running) longest = Math.max(longest, now - last);
            last = now;
            if (running && now < start + 2000) setTimeout(tick, 10);
            else resolve({ longest, measuredMs: now - start });
          };
          setTimeout(tick, 10);
        }),
    );
    expect(measuredMs, 'how long the run was measured while going (ms)').toBeGreaterThan(250);
    expect(longest, 'longest gap between timer ticks on the page while the worker runs (ms)').toBeLessThan(200);
    await page.close();
  }, 120_000);
});
