// The flags of `netlayers decode <capture>` (node's util.parseArgs, strict), after tcpdump's
// where tcpdump has one: -c N (first N frames), -S (absolute sequence numbers), -v (verbose);
// and netlayers' own: --time, --frame N --model M (encapsulation of one frame), --trace
// ladder|mermaid|svg with --connection N, --connections, --picture. Every mistake is a UsageError
// naming the flag or value (exit status 2).

import { parseArgs } from 'node:util';
import { MODELS, UsageError, type CliModel } from './args.ts';

export type DecodeTimeFormat = 'clock' | 'relative' | 'epoch';
export type DecodeTraceFormat = 'ladder' | 'mermaid' | 'svg';

export const DECODE_TIME_FORMATS: readonly DecodeTimeFormat[] = ['clock', 'relative', 'epoch'];
export const DECODE_TRACE_FORMATS: readonly DecodeTraceFormat[] = ['ladder', 'mermaid', 'svg'];

export interface DecodeCommand {
  readonly file: string;
  /** -c N: stop after N frames. */
  readonly count?: number;
  readonly time: DecodeTimeFormat;
  /** -S: absolute TCP sequence numbers. */
  readonly absoluteSequence: boolean;
  /** -v: more of each frame (the application protocols). */
  readonly verbose: boolean;
  /** --frame N (1-based): the encapsulation view of that frame, in --model. */
  readonly frame?: number;
  readonly model: CliModel;
  /** --picture: with --frame, only the encapsulation picture (no field table, no hex dump). */
  readonly picture: boolean;
  readonly trace?: DecodeTraceFormat;
  /** --connection N (1-based, as --connections numbers them). */
  readonly connection?: number;
  readonly connections: boolean;
}

export const DECODE_USAGE = `netlayers decode — read a pcap or pcapng file (tcpdump, Wireshark) with netlayers' parsers

Usage:
  netlayers decode <capture> [options]

Options:
  -c <n>               only the first n frames
  --time <format>      clock (default: time of day, UTC, as tcpdump -r prints it with TZ=UTC),
                       relative (seconds since the first frame), epoch (seconds since 1970)
  -S                   absolute TCP sequence numbers (tcpdump's -S)
  -v                   verbose: the application protocols too (DNS, DHCP, HTTP, ...)
  --frame <n>          the encapsulation of frame n (numbered from 1, as Wireshark does):
                       every header in a layer model, each field with offset, size, value, hex
  --picture            with --frame: only the picture (no field table, no hex dump)
  --model <model>      the model for --frame and --trace: tcpip-5 (default), tcpip-4,
                       tcpip-4-lower, osi-7
  --connections        list the connections (TCP) in the capture, numbered
  --trace <format>     draw a connection: ladder (text), mermaid, or svg
  --connection <n>     which connection --trace draws (default 1, see --connections)
  -h, --help           show this help

Examples:
  netlayers decode capture.pcap -c 10
  netlayers decode capture.pcapng --frame 3 --model tcpip-4
  netlayers decode capture.pcap --connections
  netlayers decode capture.pcap --trace ladder --connection 2
`;

export class DecodeHelp {
  readonly help = true;
}

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`invalid value "${value}" for ${flag}: expected a whole number from 1`);
  return Number(value);
}

function choose<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`invalid value "${value}" for ${flag}: use ${allowed.join(', ')}`);
  return value as T;
}

/** Parse the arguments after `decode`; DecodeHelp for -h. */
export function parseDecodeArgs(argv: readonly string[]): DecodeCommand | DecodeHelp {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        count: { type: 'string', short: 'c' },
        time: { type: 'string' },
        'absolute-sequence': { type: 'boolean', short: 'S' },
        verbose: { type: 'boolean', short: 'v' },
        frame: { type: 'string' },
        model: { type: 'string' },
        trace: { type: 'string' },
        connection: { type: 'string' },
        connections: { type: 'boolean' },
        picture: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new UsageError(message.replace(/^Unknown option '([^']+)'.*$/, 'unknown flag $1 for decode').replace(/^Option '([^']+?)(?: <value>)?' argument missing.*$/, 'flag $1 needs a value'));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return new DecodeHelp();
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('missing capture file: netlayers decode <file.pcap|file.pcapng>');
  if (extra.length > 0) throw new UsageError(`decode reads one capture file (got also "${extra[0]}")`);
  const count = positiveInteger('-c', values.count);
  const frame = positiveInteger('--frame', values.frame);
  const connection = positiveInteger('--connection', values.connection);
  const trace = choose('--trace', values.trace, DECODE_TRACE_FORMATS);
  const model = choose('--model', values.model, MODELS);
  const time = choose('--time', values.time, DECODE_TIME_FORMATS) ?? 'clock';
  const connections = values.connections === true;
  if (frame !== undefined && (trace !== undefined || connections)) throw new UsageError('--frame shows one frame: it does not go with --trace or --connections');
  if (trace !== undefined && connections) throw new UsageError('--connections lists the connections; --trace draws one: use one of them');
  if (connection !== undefined && trace === undefined) throw new UsageError('--connection needs --trace (it says which connection to draw)');
  if (values.picture === true && frame === undefined) throw new UsageError('--picture needs --frame (it shortens the view of one frame)');
  if (model !== undefined && frame === undefined && trace === undefined) throw new UsageError('--model needs --frame or --trace (it names the layers of those views)');
  return {
    file,
    time,
    absoluteSequence: values['absolute-sequence'] === true,
    verbose: values.verbose === true,
    model: model ?? 'tcpip-5',
    picture: values.picture === true,
    connections,
    ...(count !== undefined ? { count } : {}),
    ...(frame !== undefined ? { frame } : {}),
    ...(trace !== undefined ? { trace } : {}),
    ...(connection !== undefined ? { connection } : {}),
  };
}
