// A character cursor over one script line, for the packetdrill parser: position tracking
// (1-based columns for diagnostics) and small lexing helpers. A parse error unwinds to the
// line's parser as a LineError and becomes a Diagnostic; nothing escapes parseScript.

export class LineError {
  constructor(
    readonly column: number,
    readonly message: string,
    readonly unsupported = false,
  ) {}
}

export class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  get column(): number {
    return this.pos + 1;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  peek(n = 1): string {
    return this.text.slice(this.pos, this.pos + n);
  }

  /** Consume `s` (after spaces) if it is next. */
  eat(s: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  expect(s: string, what = `'${s}'`): void {
    if (!this.eat(s)) this.fail(`expected ${what}, found ${this.describeNext()}`);
  }

  /** Consume a run of non-space characters. */
  word(): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.text.length && !/\s/.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** Consume characters matching `re` (a one-character class). */
  take(re: RegExp): string {
    const start = this.pos;
    while (this.pos < this.text.length && re.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  identifier(): string | undefined {
    this.skipSpace();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (m === null) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** An unsigned decimal or hex integer (0..2^32-1 unless `max` says otherwise). */
  integer(what: string, max = 0xffffffff): number {
    this.skipSpace();
    const start = this.pos;
    const m = /^(0x[0-9a-fA-F]+|\d+)/.exec(this.text.slice(this.pos));
    if (m === null) this.fail(`expected ${what} (a number), found ${this.describeNext()}`);
    this.pos += m[0].length;
    const value = Number(m[0]);
    if (!Number.isSafeInteger(value) || value > max) throw new LineError(start + 1, `${what} ${m[0]} is out of range (0 to ${max})`);
    return value;
  }

  describeNext(): string {
    this.skipSpace();
    if (this.pos >= this.text.length) return 'end of line';
    return `'${this.text.slice(this.pos).split(/\s/)[0]}'`;
  }

  fail(message: string, unsupported = false): never {
    throw new LineError(this.column, message, unsupported);
  }

  unsupported(construct: string, column = this.column): never {
    throw new LineError(column, `unsupported: ${construct}`, true);
  }
}

/**
 * Replace comments (`//` to end of line, `/* ... *\/`) with spaces, keeping line and column
 * positions. Text inside double quotes and backticks is left alone.
 */
export function stripComments(source: string): { text: string; unterminated: { line: number; column: number } | undefined } {
  const out: string[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  let quote: string | undefined;
  while (i < source.length) {
    const c = source[i]!;
    if (quote !== undefined) {
      out.push(c);
      if (c === quote || c === '\n') quote = undefined;
    } else if (c === '"' || c === '`') {
      quote = c;
      out.push(c);
    } else if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') {
        out.push(' ');
        i++;
      }
      continue;
    } else if (c === '/' && source[i + 1] === '*') {
      const startLine = line;
      const startCol = col;
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      for (; i < stop; i++) {
        const d = source[i]!;
        out.push(d === '\n' ? '\n' : ' ');
        if (d === '\n') {
          line++;
          col = 1;
        } else col++;
      }
      if (end === -1) return { text: out.join(''), unterminated: { line: startLine, column: startCol } };
      continue;
    } else {
      out.push(c);
    }
    if (c === '\n') {
      line++;
      col = 1;
    } else col++;
    i++;
  }
  return { text: out.join(''), unterminated: undefined };
}
