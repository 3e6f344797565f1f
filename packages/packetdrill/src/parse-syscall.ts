// Parsing packetdrill system-call lines: `name(arg, ...) = result [ERRNO] [(comment)]`.
// Arguments are loose expressions as packetdrill writes them: `...`, numbers, symbols,
// `A|B`, strings, `[1]`, `{sa_family=AF_INET, sin_port=htons(8080)}`, `htons(8080)`.

import type { Expr, SyscallEvent, TimePoint } from './ast.ts';
import type { Cursor } from './cursor.ts';

export function parseSyscall(c: Cursor, name: string, end: TimePoint | undefined): SyscallEvent {
  c.expect('(');
  const args: Expr[] = [];
  if (!c.eat(')')) {
    for (;;) {
      args.push(parseExpr(c));
      if (c.eat(')')) break;
      c.expect(',', "',' or ')'");
    }
  }
  c.expect('=', "'= <expected result>'");
  const negative = c.eat('-');
  const magnitude = c.integer('expected return value');
  const result = negative ? -magnitude : magnitude;
  c.skipSpace();
  let errno: string | undefined;
  const ident = c.identifier();
  if (ident !== undefined) {
    if (!/^E[A-Z0-9]+$/.test(ident)) c.fail(`expected an errno name such as EAGAIN after the result, found '${ident}'`);
    if (result !== -1) c.fail(`an errno (${ident}) goes with a result of -1, not ${result}`);
    errno = ident;
  }
  // Anything in parentheses after the result is a comment ("(Operation now in progress)").
  if (c.eat('(')) {
    let depth = 1;
    while (c.pos < c.text.length && depth > 0) {
      const ch = c.text[c.pos++]!;
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
    }
    if (depth > 0) c.fail("unterminated '(' after the result");
  }
  if (!c.atEnd()) c.fail(`unexpected ${c.describeNext()} after the result`);
  return { type: 'syscall', name, args, result, errno, end };
}

function parseExpr(c: Cursor): Expr {
  const first = parseTerm(c);
  if (!c.eat('|')) return first;
  const terms = [first, parseTerm(c)];
  while (c.eat('|')) terms.push(parseTerm(c));
  return { kind: 'or', terms };
}

function parseTerm(c: Cursor): Expr {
  c.skipSpace();
  if (c.eat('...')) return { kind: 'ellipsis' };
  if (c.eat('[')) {
    const items: Expr[] = [];
    if (!c.eat(']')) {
      for (;;) {
        items.push(parseExpr(c));
        if (c.eat(']')) break;
        c.expect(',', "',' or ']'");
      }
    }
    return { kind: 'list', items };
  }
  if (c.eat('{')) {
    const fields: { name: string | undefined; value: Expr }[] = [];
    if (!c.eat('}')) {
      for (;;) {
        const save = c.pos;
        const name = c.identifier();
        if (name !== undefined && c.eat('=')) fields.push({ name, value: parseExpr(c) });
        else {
          c.pos = save;
          fields.push({ name: undefined, value: parseExpr(c) });
        }
        if (c.eat('}')) break;
        c.expect(',', "',' or '}'");
      }
    }
    return { kind: 'struct', fields };
  }
  if (c.peek() === '"') {
    c.pos++;
    const close = c.text.indexOf('"', c.pos);
    if (close === -1) c.fail('unterminated string');
    const value = c.text.slice(c.pos, close);
    c.pos = close + 1;
    return { kind: 'string', value };
  }
  if (c.eat('-')) return { kind: 'int', value: -c.integer('number') };
  if (/[0-9]/.test(c.peek())) return { kind: 'int', value: c.integer('number') };
  const name = c.identifier();
  if (name === undefined) c.fail(`expected an argument, found ${c.describeNext()}`);
  if (c.eat('(')) {
    const args: Expr[] = [];
    if (!c.eat(')')) {
      for (;;) {
        args.push(parseExpr(c));
        if (c.eat(')')) break;
        c.expect(',', "',' or ')'");
      }
    }
    return { kind: 'call', name, args };
  }
  return { kind: 'ident', name };
}
