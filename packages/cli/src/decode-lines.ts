// THE SEAM between `netlayers decode` and the tcpdump-style line printer: every decoded line
// comes from captureLines() and nowhere else. Today it assembles each line from the trace
// package's current printer pieces (the frame events of captureEvents, dissected by the
// registry, the body frameBody gives: the innermost layer's summary and any problems).
// When the tcpdump-conventions printer lands (tcpdumpLinesFromCapture(capture,
// { absoluteSequence, verbose, timeFormat })), this function becomes a call to it.
//
// What today's printer does not do yet, and the new printer does: sequence numbers relative
// to each side's first (so -S changes nothing today: numbers are always absolute), the "IP "
// prefix, tcpdump's wording for ICMP and the application protocols. -v here adds the
// application layers' own summaries (DNS question and answer, DHCP message type, HTTP line).

import type { CaptureFile } from '@netlayers/trace';
import { captureEvents, captureStartNs, defaultDissectors, frameBody } from '@netlayers/trace';
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
  const events = captureEvents(capture);
  const last = Math.min(events.length, options.count ?? events.length);
  const lines: string[] = [];
  // One pass, each frame once: the registry directly, not trace's dissect(), whose cache (a
  // WeakMap keyed by the frame's bytes) would keep every dissection alive to the end; with
  // 11,000 frames that made garbage collection most of the CPU time.
  const registry = defaultDissectors();
  for (let i = 0; i < last; i++) {
    const e = events[i]!;
    const d = registry.dissect(e.bytes, e.linkType);
    let body = frameBody(d);
    if (options.verbose) {
      const app = d.layers.filter((l) => l.role === 'application').map((l) => `: ${l.summary}`).join('');
      body = `${frameBody({ ...d, problems: [] })}${app}${d.problems.length ? ` [${d.problems.join('; ')}]` : ''}`;
    }
    lines.push(`${formatFrameTime(capture.packets[i]!.timestampNs, start, options.timeFormat)} ${body}`);
  }
  return lines;
}
