// `netlayers run`: check the script and the output paths before anything runs, register
// Network.onCreate so every network the script makes gets a trace recorder, a capture and a
// step log, import the script (calling its exported main() when it has one), then render
// what was asked. A script's own error is shown with the script's stack frames.

import { existsSync, statSync } from 'node:fs';
import { resolve, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OSI_UPPER_LAYERS_NOTE } from '@netlayers/core';
import { Network } from '@netlayers/lab';
import { TraceRecorder, capture, ladder, layerWalk, recordSteps, tcpdump, type Capture } from '@netlayers/trace';
import { UsageError, type Command } from './args.ts';
import { writeCapture } from './capture.ts';
import { assertWritable, writeOutput } from './output.ts';
import { ScriptError } from './script-error.ts';
import { pageSteps } from './pager.ts';
import { prepareImport } from './typescript.ts';

type RunCommand = Extract<Command, { command: 'run' }>;

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

interface Attached {
  readonly network: Network;
  readonly recorder: TraceRecorder;
  readonly capture: Capture | undefined;
  readonly steps: ReturnType<typeof recordSteps> | undefined;
}

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

  const attached: Attached[] = [];
  const unsubscribe = Network.onCreate((network) => {
    attached.push({
      network,
      recorder: new TraceRecorder().record(network.trace),
      capture: command.pcap !== undefined ? capture(network.trace, { format: 'pcapng', actions: ['tx', 'rx'] }) : undefined,
      steps: command.step ? recordSteps(network, { model: command.model }) : undefined,
    });
  });
  const savedArgv = process.argv;
  const savedTrace = process.env[TRACE_ENV];
  process.argv = [savedArgv[0]!, path, ...command.scriptArgs];
  if (command.trace !== undefined) process.env[TRACE_ENV] = command.trace;
  try {
    let module: { main?: unknown };
    try {
      prepareImport(path);
      module = (await import(pathToFileURL(path).href)) as { main?: unknown };
      // A script that runs itself on import made its networks already; otherwise call main().
      if (attached.length === 0 && typeof module.main === 'function') await (module.main as () => unknown)();
    } catch (error) {
      throw new ScriptError(command.script, error);
    }
  } finally {
    process.argv = savedArgv;
    if (savedTrace === undefined) delete process.env[TRACE_ENV];
    else process.env[TRACE_ENV] = savedTrace;
    unsubscribe();
    for (const a of attached) {
      a.recorder.detach();
      a.capture?.stop();
      a.steps?.detach();
    }
  }

  if (attached.length === 0) {
    io.stderr.write('netlayers: the script made no Network (new Network() from @netlayers/lab); nothing to show\n');
    return command.trace !== undefined || command.pcap !== undefined || command.step ? 1 : 0;
  }

  if (command.pcap !== undefined) {
    const written = writeCapture(
      resolve(command.pcap),
      attached.map((a) => ({ network: a.network, capture: a.capture! })),
      { points: command.capture },
    );
    io.stderr.write(`netlayers: wrote ${written.frames} frames to ${written.file} (${written.format}, capture point${written.points.length === 1 ? '' : 's'} ${written.points.join(', ')})\n`);
  }

  const color = command.out === undefined && io.stdout.isTTY === true && io.env['NO_COLOR'] === undefined;
  const sections: string[] = [];
  if (command.step) sections.push(...attached.map((a, i) => renderSteps(a, i, attached.length)));
  if (command.trace !== undefined) sections.push(...attached.map((a, i) => renderTrace(a, command, color, i, attached.length)));
  if (sections.length === 0) return 0;
  const text = sections.join('\n');
  if (command.out !== undefined) {
    const file = writeOutput('--out', command.out, text);
    io.stderr.write(`netlayers: wrote ${command.trace ?? 'steps'} to ${file}\n`);
  } else if (command.step && io.stdin.isTTY === true && io.stdout.isTTY === true) {
    await pageSteps(text, io);
  } else {
    io.stdout.write(text);
  }
  return 0;
}

function networkTitle(index: number, count: number): string {
  return count > 1 ? `network ${index + 1} of ${count}: ` : '';
}

/** Steps numbered 1, 2, 3... over the scheduler events that published something. */
function renderSteps(a: Attached, index: number, count: number): string {
  const out = [`${networkTitle(index, count)}step by step, one scheduler event at a time`];
  (a.steps?.steps() ?? []).forEach((step, i) => {
    out.push(`step ${i + 1}`);
    for (const line of step.lines) out.push(`  ${line}`);
  });
  return `${out.join('\n')}\n`;
}

function renderTrace(a: Attached, command: RunCommand, color: boolean, index: number, count: number): string {
  const events = a.recorder.events;
  const prefix = networkTitle(index, count);
  switch (command.trace) {
    case 'text': {
      const lines = tcpdump(events);
      const walk = layerWalk(events, { model: command.model });
      const note = command.model === 'osi-7' ? `\n${OSI_UPPER_LAYERS_NOTE}\n` : '';
      return `${prefix ? `${prefix}\n` : ''}${lines.join('\n')}\n\n${walk}${note}`;
    }
    case 'ladder':
    case 'mermaid':
    case 'svg': {
      const connections = a.recorder.connections();
      const format = command.trace === 'ladder' ? 'text' : command.trace;
      if (connections.length === 0) {
        const hosts = a.recorder.nodes();
        if (hosts.length < 2) return `${prefix}no TCP connection and fewer than two nodes in the trace\n`;
        return ladder(events, { nodes: [hosts[0]!, hosts[1]!], format, color, model: command.model });
      }
      return connections.map((connection) => ladder(events, { connection, format, color, model: command.model, ...(format === 'text' ? { width: 100 } : {}) })).join('\n');
    }
    default:
      return '';
  }
}
