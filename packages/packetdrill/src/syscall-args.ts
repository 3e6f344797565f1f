// Evaluating packetdrill system-call arguments loosely, as packetdrill does: integers,
// symbols (O_NONBLOCK, SHUT_WR, errno names), `A|B`, `[n]`, and the port in a sockaddr
// struct (`sin_port=htons(8080)`); and taking bytes from a receive queue.

import type { Expr } from './ast.ts';
import { ERRNO, SYMBOLS } from './errno.ts';

/** Evaluate an integer argument: numbers, symbols, `A|B`, `[n]`. undefined when not an integer. */
export function intArg(e: Expr | undefined): number | undefined {
  if (e === undefined) return undefined;
  switch (e.kind) {
    case 'int':
      return e.value;
    case 'ident':
      return SYMBOLS[e.name] ?? ERRNO[e.name];
    case 'or': {
      let v = 0;
      for (const t of e.terms) {
        const x = intArg(t);
        if (x === undefined) return undefined;
        v |= x;
      }
      return v;
    }
    case 'list':
      return e.items.length === 1 ? intArg(e.items[0]) : undefined;
    default:
      return undefined;
  }
}

export function identArg(e: Expr | undefined): string | undefined {
  return e?.kind === 'ident' ? e.name : undefined;
}

/** The port in `{..., sin_port=htons(8080), ...}`, if the script gives one. */
export function sockaddrPort(e: Expr | undefined): number | undefined {
  if (e?.kind !== 'struct') return undefined;
  for (const f of e.fields) {
    if (f.name === 'sin_port' && f.value.kind === 'call' && f.value.name === 'htons') return intArg(f.value.args[0]);
    if (f.name === 'sin_port') return intArg(f.value);
  }
  return undefined;
}

/** Take up to `len` bytes from the front of `chunks`; returns how many were taken. */
export function take(chunks: Uint8Array[], len: number): number {
  let n = 0;
  while (n < len && chunks.length > 0) {
    const head = chunks[0]!;
    const k = Math.min(head.length, len - n);
    n += k;
    if (k === head.length) chunks.shift();
    else chunks[0] = head.subarray(k);
  }
  return n;
}
