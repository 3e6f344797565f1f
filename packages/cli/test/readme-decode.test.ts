// The README's "Bring your own capture" section shows real output of `netlayers decode` on a
// real capture; this checks every pasted block is exactly what the command prints now, so the
// README cannot go stale (to refresh it: npx tsx packages/cli/test/support/readme-decode.ts --write).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, decodeOutputOf, readmeDecodeBlocks } from './support/readme-decode.ts';

const blocks = readmeDecodeBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));

describe('README: Bring your own capture', () => {
  it('shows decode in the five-layer and the four-layer model, the lines and a ladder', () => {
    const commands = blocks.map((b) => b.args.join(' '));
    expect(commands).toEqual(expect.arrayContaining([
      expect.stringMatching(/--frame \d+ --model tcpip-5$/),
      expect.stringMatching(/--frame \d+ --model tcpip-4/),
      expect.stringMatching(/--trace ladder/),
      expect.stringMatching(/\.pcap -c \d+$/),
    ]));
  });

  it.each(blocks.map((b) => [b.args.join(' '), b] as const))('netlayers decode %s prints what the README shows', async (_name, block) => {
    expect(block.pasted, 'refresh with: npx tsx packages/cli/test/support/readme-decode.ts --write').toBe(await decodeOutputOf(block.args));
  });
});
