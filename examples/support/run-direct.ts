// How an example knows it was run as a program (`npx tsx examples/ping.ts`, or `netlayers
// run examples/ping.ts`) rather than imported by a test, in a way that survives paths with
// spaces (import.meta.url is percent-encoded, process.argv[1] is not) and ends quietly when
// its output pipe closes; the `--trace` flag
// for examples that have no trace output of their own; and whether the netlayers command
// draws the ladder itself (then an example that draws one leaves it out).

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Network } from '@netlayers/lab';
import { logLayers } from './layer-log.ts';

/**
 * True when the module at `moduleUrl` is the program being run. Then a reader that stops
 * early (`npx tsx examples/ping.ts --trace | head`) ends the program quietly, not with an
 * EPIPE stack.
 */
export function invokedDirectly(moduleUrl: string, argv: readonly string[] = process.argv): boolean {
  const script = argv[1];
  const direct = script !== undefined && pathToFileURL(resolve(script)).href === moduleUrl;
  if (direct) endQuietlyOnClosedPipe();
  return direct;
}

let pipeGuarded = false;

function endQuietlyOnClosedPipe(): void {
  // The browser page runs examples with a process whose stdout is no stream: nothing to guard.
  if (pipeGuarded || typeof process.stdout?.on !== 'function') return;
  pipeGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/** With --trace on the command line, print every layer's events of every network as they happen. */
export function honourTraceFlag(argv: readonly string[] = process.argv, write: (line: string) => void = console.log): void {
  if (!argv.includes('--trace')) return;
  Network.onCreate((network) => {
    write('every layer, as it happens (--trace):');
    logLayers(network.trace, { write });
  });
}

/** The netlayers command sets NETLAYERS_TRACE to its --trace format while it runs a script. */
export function commandDrawsLadder(env: NodeJS.ProcessEnv = process.env): boolean {
  const format = env['NETLAYERS_TRACE'];
  return format === 'ladder' || format === 'mermaid' || format === 'svg';
}
