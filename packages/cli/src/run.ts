// `netlayers run`: register Network.onCreate before importing the user's script, so every
// network the script makes gets a trace recorder, a pcap capture and a step log; import the
// script (calling its exported main() when it has one); then render what was asked.

import { existsSync, writeFileSync } from 'node:fs';
import { resolve, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline/promises';
import { OSI_UPPER_LAYERS_NOTE } from '@netlayers/core';
import { Network } from '@netlayers/lab';
import { TraceRecorder, capture, ladder, layerWalk, recordSteps, tcpdump, writePcap, type Capture, type CapturedFrame } from '@netlayers/trace';
import { UsageError, type Command } from './args.ts';

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
  readonly pcap: Capture | undefined;
  readonly steps: ReturnType<typeof recordSteps> | undefined;
}

export async function runScript(command: RunCommand, io: CliIo): Promise<number> {
  const path = resolve(command.script);
  if (!existsSync(path)) throw new UsageError(`script not found: ${command.script}`);
  if (!['.ts', '.mts', '.js', '.mjs'].includes(extname(path))) throw new UsageError(`script must be a .ts or .js file: ${command.script}`);

  const attached: Attached[] = [];
  const unsubscribe = Network.onCreate((network) => {
    attached.push({
      network,
      recorder: new TraceRecorder().record(network.trace),
      pcap: command.pcap !== undefined ? capture(network.trace, { format: 'pcap' }) : undefined,
      steps: command.step ? recordSteps(network, { model: command.model }) : undefined,
    });
  });
  const savedArgv = process.argv;
  process.argv = [savedArgv[0]!, path, ...command.scriptArgs];
  try {
    const module = (await import(pathToFileURL(path).href)) as { main?: unknown };
    // A script that runs itself on import made its networks already; otherwise call main().
    if (attached.length === 0 && typeof module.main === 'function') await (module.main as () => unknown)();
  } finally {
    process.argv = savedArgv;
    unsubscribe();
    for (const a of attached) {
      a.recorder.detach();
      a.pcap?.stop();
      a.steps?.detach();
    }
  }

  if (attached.length === 0) {
    io.stderr.write('netlayers: the script made no Network (new Network() from @netlayers/lab); nothing to show\n');
    return command.trace !== undefined || command.pcap !== undefined || command.step ? 1 : 0;
  }

  if (command.pcap !== undefined) {
    const frames: CapturedFrame[] = attached.flatMap((a) => [...(a.pcap?.frames ?? [])]);
    const file = resolve(command.pcap);
    writeFileSync(file, writePcap(frames));
    io.stderr.write(`netlayers: wrote ${frames.length} frames to ${file}\n`);
  }

  const color = command.out === undefined && io.stdout.isTTY === true && io.env['NO_COLOR'] === undefined;
  const sections: string[] = [];
  if (command.step) sections.push(...attached.map((a, i) => renderSteps(a, i, attached.length)));
  if (command.trace !== undefined) sections.push(...attached.map((a, i) => renderTrace(a, command, color, i, attached.length)));
  if (sections.length === 0) return 0;
  const text = sections.join('\n');
  if (command.out !== undefined) {
    writeFileSync(resolve(command.out), text);
    io.stderr.write(`netlayers: wrote ${command.trace ?? 'steps'} to ${resolve(command.out)}\n`);
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

function renderSteps(a: Attached, index: number, count: number): string {
  const out = [`${networkTitle(index, count)}step by step, one scheduler event at a time`];
  for (const step of a.steps?.steps() ?? []) {
    out.push(`step ${step.step}`);
    for (const line of step.lines) out.push(`  ${line}`);
  }
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
        return ladder(events, { nodes: [hosts[0]!, hosts[1]!], format, color });
      }
      return connections.map((connection) => ladder(events, { connection, format, color, width: 100 })).join('\n');
    }
    default:
      return '';
  }
}

/** On a terminal, show one step at a time: Enter for the next, q to stop. */
async function pageSteps(text: string, io: CliIo): Promise<void> {
  const blocks = text.split(/\n(?=step \d+\n)/);
  const rl = createInterface({ input: io.stdin, output: io.stdout });
  try {
    for (const block of blocks) {
      io.stdout.write(`${block.trimEnd()}\n`);
      const answer = await rl.question('-- Enter: next step, q: quit -- ');
      if (answer.trim().toLowerCase() === 'q') break;
    }
  } finally {
    rl.close();
  }
}
