// Command-line parsing for `netlayers` with node's util.parseArgs (strict): commands `run`,
// `models` and `help`, and the flags of `run`. Every mistake becomes a UsageError whose
// message names the bad flag or value; the command exits with status 2 for it.

import { parseArgs } from 'node:util';

export type TraceFormat = 'text' | 'ladder' | 'mermaid' | 'svg';
export type CliModel = 'tcpip-5' | 'tcpip-4' | 'tcpip-4-lower' | 'osi-7';

export const TRACE_FORMATS: readonly TraceFormat[] = ['text', 'ladder', 'mermaid', 'svg'];
export const MODELS: readonly CliModel[] = ['tcpip-5', 'tcpip-4', 'tcpip-4-lower', 'osi-7'];

export class UsageError extends Error {
  readonly exitCode = 2;
}

export type Command =
  | { readonly command: 'help' }
  | { readonly command: 'models' }
  | {
      readonly command: 'run';
      readonly script: string;
      readonly scriptArgs: readonly string[];
      readonly trace?: TraceFormat;
      readonly pcap?: string;
      /** --capture: 'all', or the capture points named ("client:eth0"); absent: the default point. */
      readonly capture?: 'all' | readonly string[];
      readonly model: CliModel;
      readonly step: boolean;
      readonly out?: string;
    };

export const USAGE = `netlayers — run a netlayers script and see its stack at work

Usage:
  netlayers run <script> [options] [-- script arguments]
  netlayers decode <capture.pcap|capture.pcapng> [options]   (netlayers decode --help)
  netlayers models
  netlayers packetdrill <file.pkt|folder>... [--stack ./my-tcp.ts]   (see docs/packetdrill.md)
  netlayers --help

Options for run:
  --trace <format>   after the run, show the trace: text (tcpdump-style lines and a layer
                     walk), ladder (sequence diagram), mermaid, or svg
  --pcap <file>      write what a capture point saw to a file for Wireshark: pcapng,
                     or libpcap when <file> ends in .pcap. By default the point is
                     the first interface of the first host the script adds (usually
                     the client's eth0), tapped as tcpdump taps a NIC
  --capture <points> with --pcap: "all" (one pcapng interface per node:iface), or
                     node:iface[,node:iface...] (e.g. client:eth0,r1:eth1)
  --model <model>    name layers in this model: tcpip-5 (default), tcpip-4,
                     tcpip-4-lower, osi-7
  --step             tell the run step by step: "at t, on node N, layer L did X"
                     (press Enter between steps when on a terminal)
  --out <file>       write the trace or steps to a file instead of stdout
  -h, --help         show this help

The script is any TypeScript or JavaScript file that builds a Network from
@netlayers/lab; if it exports a main() function, netlayers calls it.
Examples:
  netlayers run examples/main-demo.ts --trace ladder
  netlayers run examples/ping.ts --pcap ping.pcap --step
  netlayers run examples/http-get.ts --pcap http.pcapng --capture all
  netlayers decode http.pcapng --frame 3 --model tcpip-4
`;

function choose<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`invalid value "${value}" for --${flag}: use ${allowed.join(', ')}`);
  }
  return value as T;
}

/** --capture values: "all", or capture points "node:iface", comma-separated or repeated. */
function capturePointsOf(values: readonly string[] | undefined): 'all' | readonly string[] | undefined {
  if (values === undefined) return undefined;
  const points = values.flatMap((v) => v.split(',')).map((p) => p.trim()).filter((p) => p !== '');
  if (points.length === 0) throw new UsageError('--capture needs "all" or node:iface (e.g. client:eth0)');
  if (points.includes('all')) {
    if (points.length > 1) throw new UsageError('--capture all takes no other points');
    return 'all';
  }
  for (const p of points) if (!/^[^:\s]+:[^:\s]+$/.test(p)) throw new UsageError(`invalid capture point "${p}" for --capture: use node:iface, e.g. client:eth0`);
  return points;
}

export function parseCommandLine(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        trace: { type: 'string' },
        pcap: { type: 'string' },
        capture: { type: 'string', multiple: true },
        model: { type: 'string' },
        step: { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new UsageError(message.replace(/^Unknown option '([^']+)'.*$/, 'unknown flag $1').replace(/^Option '([^']+?)(?: <value>)?' argument missing.*$/, 'flag $1 needs a value'));
  }
  const { values, positionals } = parsed;
  if (values.help === true || positionals[0] === 'help') return { command: 'help' };
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('missing command: use "netlayers run <script>", "netlayers models" or "netlayers --help"');
  if (command === 'models') {
    if (rest.length > 0) throw new UsageError(`"models" takes no arguments (got "${rest[0]}")`);
    return { command: 'models' };
  }
  if (command !== 'run') throw new UsageError(`unknown command "${command}": use run, decode, packetdrill, models or help`);
  const [script, ...scriptArgs] = rest;
  if (script === undefined) throw new UsageError('missing script: netlayers run <script>');
  for (const flag of ['pcap', 'out'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '') throw new UsageError(`--${flag} needs a file name`);
  }
  const capture = capturePointsOf(values.capture);
  if (capture !== undefined && values.pcap === undefined) throw new UsageError('--capture needs --pcap (it says which capture points go into the file)');
  const trace = choose('trace', values.trace, TRACE_FORMATS);
  const model = choose('model', values.model, MODELS) ?? 'tcpip-5';
  if (values.out !== undefined && trace === undefined && values.step !== true) {
    throw new UsageError('--out needs --trace or --step (it says where their output goes)');
  }
  return {
    command: 'run',
    script,
    scriptArgs,
    model,
    step: values.step === true,
    ...(trace !== undefined ? { trace } : {}),
    ...(values.pcap !== undefined ? { pcap: values.pcap } : {}),
    ...(capture !== undefined ? { capture } : {}),
    ...(values.out !== undefined ? { out: values.out } : {}),
  };
}
