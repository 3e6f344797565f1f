// `netlayers packetdrill <file.pkt|folder>…`: run packetdrill scripts against netlayers' TCP
// (or, with --stack, against any module exporting a StackFactory, such as a student's TCP)
// in virtual time, print one line per script and each failure in full, and exit 1 when any
// script fails (2 for usage mistakes).

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { StackFactory } from '@netlayers/packetdrill';
import { findScripts, runPacketdrillFile } from '@netlayers/packetdrill/file';
import { netlayersTcp } from '@netlayers/packetdrill/netlayers';
import { UsageError } from './args.ts';
import { prepareImport } from './typescript.ts';
import type { CliIo } from './run.ts';

export const PACKETDRILL_USAGE = `netlayers packetdrill — run packetdrill scripts against a TCP in virtual time

Usage:
  netlayers packetdrill <file.pkt | folder>... [options]

Options:
  --stack <module>          test this TCP instead of netlayers': a module exporting
                            \`stack\` (or a default export), a StackFactory from
                            @netlayers/packetdrill
  --tolerance-usecs <n>     timing tolerance for every script (default: the script's
                            --tolerance_usecs, else 4000)
  --seed <n>                simulation seed (default 1)
  -h, --help                show this help

Examples:
  netlayers packetdrill packages/packetdrill/scripts
  netlayers packetdrill my-test.pkt --stack ./my-tcp.ts
`;

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`invalid value "${value}" for --${flag}: expected a whole number`);
  return Number(value);
}

async function loadStack(path: string): Promise<StackFactory> {
  const module = (await import(await prepareImport(resolve(path)))) as { stack?: unknown; default?: unknown };
  const factory = module.stack ?? module.default;
  if (typeof factory !== 'function') throw new UsageError(`--stack ${path}: the module exports no \`stack\` function (a StackFactory)`);
  return factory as StackFactory;
}

/** Run the subcommand; returns the exit status. */
export async function runPacketdrillCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { stack: { type: 'string' }, 'tolerance-usecs': { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.help === true) {
    io.stdout.write(PACKETDRILL_USAGE);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError('packetdrill: give at least one .pkt file or folder');
  const files: string[] = [];
  for (const p of parsed.positionals) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new UsageError(`packetdrill: no such file or folder: ${p}`);
    }
    files.push(...(isDir ? findScripts(p) : [p]));
  }
  const stack = parsed.values.stack !== undefined ? await loadStack(parsed.values.stack) : netlayersTcp();
  const toleranceUsecs = integer('tolerance-usecs', parsed.values['tolerance-usecs']);
  const seed = integer('seed', parsed.values.seed);
  let failed = 0;
  for (const file of files) {
    const r = runPacketdrillFile(file, { stack, ...(toleranceUsecs !== undefined ? { toleranceUsecs } : {}), ...(seed !== undefined ? { seed } : {}) });
    if (r.ok) io.stdout.write(`ok    ${r.file} (${r.eventsRun} events, ${(r.virtualTime / 1e9).toFixed(3)} s virtual)\n`);
    else {
      failed++;
      io.stdout.write(`FAIL  ${r.file}\n${r.failure?.message ?? ''}\n`);
    }
  }
  io.stdout.write(`\n${files.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}
