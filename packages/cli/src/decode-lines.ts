// The lines of `netlayers decode`: trace's tcpdump -nn printer (tcpdumpLinesFromCapture, the
// same printer the emulator's own runs use), so a capture decodes exactly as `tcpdump -nn -r`
// prints it (tcpdump 4.99 conventions: the "IP " prefix, sequence numbers relative to each
// connection's first unless -S, tcpdump's ICMP and application wording under -v). Only the
// time column is decode's own: tcpdump's clock by default, or relative/epoch seconds.

import type { CaptureFile } from '@netlayers/trace';
import { captureStartNs, tcpdumpLinesFromCapture } from '@netlayers/trace';
import type { DecodeTimeFormat } from './decode-args.ts';
import { formatFrameTime } from './decode-time.ts';

export interface CaptureLineOptions {
  /** tcpdump -S. */
  readonly absoluteSequence: boolean;
  /** tcpdump -v. */
  readonly verbose: boolean;
  readonly timeFormat: DecodeTimeFormat;
  /** tcpdump -c: only the first `count` frames. */
  readonly count?: number;
}

/** One tcpdump-style line per frame of the capture (the first `count`), in file order. */
export function captureLines(capture: CaptureFile, options: CaptureLineOptions): string[] {
  const start = captureStartNs(capture);
  const packets = options.count === undefined ? capture.packets : capture.packets.slice(0, options.count);
  const lines = tcpdumpLinesFromCapture({ ...capture, packets }, { absoluteSequence: options.absoluteSequence, verbose: options.verbose, timeFormat: 'clock' });
  // The printer's time is the first space-free token of the line; -v continuation rows
  // (a line break inside the line) keep their own indentation.
  return lines.map((line, i) => {
    const space = line.indexOf(' ');
    return `${formatFrameTime(packets[i]!.timestampNs, start, options.timeFormat)}${line.slice(space)}`;
  });
}
