// Entry point of the `netlayers` command (bin/netlayers.js runs the built dist/main.js and calls runCli):
// dispatches `run`, `decode`, `packetdrill`, `models` and `help`, and turns usage mistakes into exit status 2 with a
// message naming the bad flag or value.

import { LAYER_MODELS, OSI_UPPER_LAYERS_NOTE } from '@netlayers/core';
import { parseCommandLine, UsageError, USAGE } from './args.ts';
import { runScript, type CliIo } from './run.ts';
import { ScriptError } from './script-error.ts';

export function describeModels(): string {
  const out: string[] = [];
  for (const model of Object.values(LAYER_MODELS)) {
    out.push(`${model.id}  ${model.title}`);
    for (const layer of model.layers) {
      const roles = layer.roles.length ? layer.roles.join(', ') : '(none: inside the application)';
      out.push(`  ${String(layer.number).padStart(2)} ${layer.name.padEnd(24)} PDU: ${layer.pduName.padEnd(20)} roles: ${roles}`);
    }
    out.push('');
  }
  out.push(OSI_UPPER_LAYERS_NOTE);
  return `${out.join('\n')}\n`;
}

/** Run the command line; returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }): Promise<number> {
  try {
    // Loaded only for their subcommands: `run` starts without the packetdrill packages or the decoder (issue 14).
    if (argv[0] === 'packetdrill') return await (await import('./packetdrill.ts')).runPacketdrillCommand(argv.slice(1), io);
    if (argv[0] === 'decode') return await (await import('./decode.ts')).runDecodeCommand(argv.slice(1), io);
    const command = parseCommandLine(argv);
    if (command.command === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    if (command.command === 'models') {
      io.stdout.write(describeModels());
      return 0;
    }
    return await runScript(command, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`netlayers: ${error.message}\nRun "netlayers --help" for usage.\n`);
      return error.exitCode;
    }
    if (error instanceof ScriptError) {
      io.stderr.write(error.describe());
      return 1;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`netlayers: internal error (please report it):\n${message}\n`);
    return 1;
  }
}
