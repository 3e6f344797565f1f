// Running script files from disk (Node only): one file, or every `.pkt` under a folder,
// for vitest and the `netlayers packetdrill` command.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runPacketdrillScript, type RunOptions, type RunResult } from './runner.ts';

/** Read and run one script file. Never throws for script problems (an unreadable file is a failed result). */
export function runPacketdrillFile(path: string, options: Omit<RunOptions, 'file'> & { readonly displayName?: string }): RunResult {
  const file = options.displayName ?? relative(process.cwd(), path);
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    const headline = `cannot read the script: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, file, failure: { kind: 'parse', line: 0, headline, message: `${file}: ${headline}` }, eventsRun: 0, virtualTime: 0 };
  }
  return runPacketdrillScript(source, { ...options, file });
}

/** Every `.pkt` file under `dir`, sorted, recursively. */
export function findScripts(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findScripts(path));
    else if (name.endsWith('.pkt')) out.push(path);
  }
  return out;
}
