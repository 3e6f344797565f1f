// HTTP header fields (RFC 9110 §5): an ordered list of name/value pairs, names compared
// case-insensitively, repeated fields combined with ", " on read (§5.3). Names must be
// tokens and values must not contain CR, LF or NUL (§5.5) — a caller passing either gets
// an InvalidArgumentError, so nothing we emit can smuggle a header.

import { InvalidArgumentError } from '@netlayers/core';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

export type HeaderInit = HttpHeaders | Record<string, string | number | readonly string[]> | readonly (readonly [string, string])[];

export class HttpHeaders {
  private readonly fields: [string, string][] = [];

  constructor(init?: HeaderInit) {
    if (init === undefined) return;
    if (init instanceof HttpHeaders) {
      for (const [n, v] of init.entries()) this.append(n, v);
    } else if (Array.isArray(init)) {
      for (const [n, v] of init as readonly (readonly [string, string])[]) this.append(n, v);
    } else {
      for (const [n, v] of Object.entries(init as Record<string, string | number | readonly string[]>)) {
        if (Array.isArray(v)) for (const one of v as readonly string[]) this.append(n, one);
        else this.append(n, String(v));
      }
    }
  }

  /** Add a field without validation (the parser has already checked it). */
  static trustedAppend(headers: HttpHeaders, name: string, value: string): void {
    headers.fields.push([name, value]);
  }

  append(name: string, value: string): void {
    if (!isToken(name)) throw new InvalidArgumentError('header name', name, 'must be an HTTP token (RFC 9110 §5.1)');
    if (!FIELD_VALUE.test(value)) throw new InvalidArgumentError(`header ${name} value`, value, 'must not contain CR, LF, NUL or other control characters');
    this.fields.push([name, value.trim()]);
  }

  set(name: string, value: string): void {
    this.delete(name);
    this.append(name, value);
  }

  delete(name: string): void {
    const lower = name.toLowerCase();
    for (let i = this.fields.length - 1; i >= 0; i--) if (this.fields[i]![0].toLowerCase() === lower) this.fields.splice(i, 1);
  }

  has(name: string): boolean {
    const lower = name.toLowerCase();
    return this.fields.some(([n]) => n.toLowerCase() === lower);
  }

  /** All values of `name` combined with ", ", or undefined. */
  get(name: string): string | undefined {
    const all = this.getAll(name);
    return all.length === 0 ? undefined : all.join(', ');
  }

  getAll(name: string): string[] {
    const lower = name.toLowerCase();
    return this.fields.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  }

  /** Comma-separated list elements of every `name` field, lower-cased (Connection, Transfer-Encoding). */
  tokens(name: string): string[] {
    return this.getAll(name)
      .flatMap((v) => v.split(','))
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t.length > 0);
  }

  entries(): readonly (readonly [string, string])[] {
    return this.fields;
  }

  get size(): number {
    return this.fields.length;
  }

  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [n] of this.fields) {
      const lower = n.toLowerCase();
      if (!(lower in out)) out[lower] = this.get(n)!;
    }
    return out;
  }
}
