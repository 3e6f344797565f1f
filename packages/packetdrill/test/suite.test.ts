// Runs every script of the suite (scripts/**/*.pkt) against netlayers' TCP: each must pass.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findScripts, runPacketdrillFile } from '../src/file.ts';
import { netlayersTcp } from '../src/netlayers.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scripts = findScripts(join(root, 'scripts'));

describe('packetdrill suite against netlayers TCP', () => {
  it('has the scripts', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(40);
  });

  for (const path of scripts) {
    const name = path.slice(root.length + 1);
    it(name, () => {
      const result = runPacketdrillFile(path, { stack: netlayersTcp(), displayName: name });
      if (!result.ok) throw new Error(result.failure?.message);
      expect(result.eventsRun).toBeGreaterThan(0);
    });
  }
});
