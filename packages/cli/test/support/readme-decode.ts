// The README's "Bring your own capture" examples, kept true: each ```text block there that
// starts with "$ netlayers decode <args>" must hold exactly what that command prints (run
// from the repository root). The test compares them; after a change to what decode prints,
// `npx tsx packages/cli/test/support/readme-decode.ts --write` pastes the new output in.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/main.ts';

export const ROOT = new URL('../../../../', import.meta.url).pathname;
const BLOCK = /```text\n\$ netlayers decode ([^\n]*)\n([\s\S]*?)```/g;

export interface ReadmeDecodeBlock {
  readonly args: readonly string[];
  readonly pasted: string;
}

export function readmeDecodeBlocks(readme: string): ReadmeDecodeBlock[] {
  return [...readme.matchAll(BLOCK)].map((m) => ({ args: m[1]!.trim().split(/\s+/), pasted: m[2]! }));
}

/** What `netlayers decode <args>` prints from the repository root (stdout; stderr must be empty). */
export async function decodeOutputOf(args: readonly string[]): Promise<string> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await runCli(['decode', ...args.map((a) => (a.startsWith('fixtures/') ? join(ROOT, a) : a))], { stdout, stderr, stdin: new PassThrough(), env: {} });
  if (code !== 0 || err !== '') throw new Error(`netlayers decode ${args.join(' ')} exited ${code}: ${err}`);
  return out;
}

async function write(): Promise<void> {
  const file = join(ROOT, 'README.md');
  let readme = readFileSync(file, 'utf8');
  for (const block of readmeDecodeBlocks(readme)) {
    const fresh = await decodeOutputOf(block.args);
    readme = readme.replace(`$ netlayers decode ${block.args.join(' ')}\n${block.pasted}`, `$ netlayers decode ${block.args.join(' ')}\n${fresh}`);
  }
  writeFileSync(file, readme);
}

if (process.argv.includes('--write') && import.meta.url === `file://${process.argv[1]}`) await write();
