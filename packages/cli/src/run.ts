// `netlayers run`: check the script and the output paths before anything runs, register
// Network.onCreate so every network the script makes gets a trace recorder, a capture and a
// step log (outputs.ts, loaded only when --trace, --pcap or --step asks for one), import the
// script (calling its exported main() when it has one), then render what was asked. A script's own error is shown with the script's stack frames.

import { existsSync, statSync } from 'node:fs';
import { resolve, extname } from 'node:path';
import { Network } from '@netlayers/lab';
import { UsageError, type Command } from './args.ts';
import type { CliIo } from './io.ts';
import type { Attached } from './outputs.ts';
import { assertWritable } from './output.ts';
import { ScriptError } from './script-error.ts';
import { prepareImport } from './typescript.ts';

type RunCommand = Extract<Command, { command: 'run' }>;

export type { CliIo } from './io.ts';

/** The environment variable a script can read to leave drawing to the command (`--trace`'s format). */
export const TRACE_ENV = 'NETLAYERS_TRACE';

export async function runScript(command: RunCommand, io: CliIo): Promise<number> {
  const path = resolve(command.script);
  if (!existsSync(path)) throw new UsageError(`script not found: ${command.script}`);
  if (statSync(path).isDirectory()) throw new UsageError(`script is a directory, not a file: ${command.script}`);
  if (!['.ts', '.mts', '.js', '.mjs'].includes(extname(path))) throw new UsageError(`script must be a .ts or .js file: ${command.script}`);
  // Refuse an output the run could not write before running anything.
  if (command.pcap !== undefined) assertWritable('--pcap', command.pcap);
  if (command.out !== undefined) assertWritable('--out', command.out);

  // The recorders and renderers (and @netlayers/trace under them) load only when an output was asked for.
  const wantsOutput = command.trace !== undefined || command.pcap !== undefined || command.step;
  const outputs = wantsOutput ? await import('./outputs.ts') : undefined;
  const networks: Network[] = [];
  const attached: Attached[] = [];
  const unsubscribe = Network.onCreate((network) => {
    networks.push(network);
    if (outputs !== undefined) attached.push(outputs.attach(network, command));
  });
  const savedArgv = process.argv;
  const savedTrace = process.env[TRACE_ENV];
  process.argv = [savedArgv[0]!, path, ...command.scriptArgs];
  if (command.trace !== undefined) process.env[TRACE_ENV] = command.trace;
  try {
    let module: { main?: unknown };
    try {
      const url = await prepareImport(path);
      module = (await import(url)) as { main?: unknown };
      // A script that runs itself on import made its networks already; otherwise call main().
      if (networks.length === 0 && typeof module.main === 'function') await (module.main as () => unknown)();
    } catch (error) {
      throw new ScriptError(command.script, error);
    }
  } finally {
    process.argv = savedArgv;
    if (savedTrace === undefined) delete process.env[TRACE_ENV];
    else process.env[TRACE_ENV] = savedTrace;
    unsubscribe();
    for (const a of attached) outputs?.detach(a);
  }

  if (networks.length === 0) {
    io.stderr.write('netlayers: the script made no Network (new Network() from @netlayers/lab); nothing to show\n');
    return wantsOutput ? 1 : 0;
  }
  if (outputs !== undefined) await outputs.renderOutputs(attached, command, io);
  return 0;
}
