// What `netlayers run` shows after a script ran (--trace, --pcap, --step), and the recorders
// that collect it while the script runs. Loaded by run.ts only when one of those flags is given,
// so a plain `netlayers run x.ts` starts without @netlayers/trace and its dissectors (issue 14).

import { resolve } from 'node:path';
import { OSI_UPPER_LAYERS_NOTE } from '@netlayers/core';
import type { Network } from '@netlayers/lab';
import { TraceRecorder, capture, ladder, layerWalk, recordSteps, tcpdump, type Capture } from '@netlayers/trace';
import type { Command } from './args.ts';
import { writeCapture } from './capture.ts';
import { writeOutput } from './output.ts';
import { pageSteps } from './pager.ts';
import type { CliIo } from './io.ts';

type RunCommand = Extract<Command, { command: 'run' }>;

/** The recorders attached to one network the script made. */
export interface Attached {
  readonly network: Network;
  readonly recorder: TraceRecorder;
  readonly capture: Capture | undefined;
  readonly steps: ReturnType<typeof recordSteps> | undefined;
}

/** Attach what the command's flags need to a network the script just made. */
export function attach(network: Network, command: RunCommand): Attached {
  return {
    network,
    recorder: new TraceRecorder().record(network.trace),
    capture: command.pcap !== undefined ? capture(network.trace, { format: 'pcapng', actions: ['tx', 'rx'] }) : undefined,
    steps: command.step ? recordSteps(network, { model: command.model }) : undefined,
  };
}

/** Stop recording (the script has finished). */
export function detach(a: Attached): void {
  a.recorder.detach();
  a.capture?.stop();
  a.steps?.detach();
}

/** Write the pcap, then the trace or steps, to where the command says. */
export async function renderOutputs(attached: readonly Attached[], command: RunCommand, io: CliIo): Promise<void> {
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
  if (sections.length === 0) return;
  const text = sections.join('\n');
  if (command.out !== undefined) {
    const file = writeOutput('--out', command.out, text);
    io.stderr.write(`netlayers: wrote ${command.trace ?? 'steps'} to ${file}\n`);
  } else if (command.step && io.stdin.isTTY === true && io.stdout.isTTY === true) {
    await pageSteps(text, io);
  } else {
    io.stdout.write(text);
  }
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
