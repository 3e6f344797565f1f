// The SMTP mail-data transparency procedure (RFC 5321 §4.5.2): the sender doubles a
// leading "." on every line and ends the data with a line holding a single "."; the
// receiver removes one leading "." from each line. Line endings are CRLF (§2.3.8).

import { concatBytes } from '../util/bytes.ts';

/** Normalise line endings to CRLF, dot-stuff, and append the end-of-data line ".\r\n". */
export function dotStuff(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let lineStart = true;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (lineStart && b === 0x2e) out.push(0x2e);
    if (b === 0x0a && (i === 0 || data[i - 1] !== 0x0d)) out.push(0x0d);
    if (b === 0x0d && data[i + 1] !== 0x0a) {
      out.push(0x0d, 0x0a); // a bare CR becomes a line break too
      lineStart = true;
      continue;
    }
    out.push(b);
    lineStart = b === 0x0a;
  }
  if (!lineStart) out.push(0x0d, 0x0a);
  out.push(0x2e, 0x0d, 0x0a);
  return Uint8Array.from(out);
}

/** Receiver side: undo stuffing on one received text line (without its CRLF). Returns null for the end-of-data line. */
export function unstuffLine(line: Uint8Array): Uint8Array | null {
  if (line.length === 1 && line[0] === 0x2e) return null;
  return line[0] === 0x2e ? line.subarray(1) : line;
}

/** Join received lines back into message content with CRLF endings. */
export function joinLines(lines: readonly Uint8Array[]): Uint8Array {
  const crlf = Uint8Array.of(0x0d, 0x0a);
  return concatBytes(lines.flatMap((l) => [l, crlf]));
}
