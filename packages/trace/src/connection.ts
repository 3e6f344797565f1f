// Connection keys: transport events name a connection "srcip:sport-dstip:dport" (RFC 9293
// §3.3.2's socket pair, written from the sender's view). These helpers parse a key, flip it
// and compare two keys regardless of direction, so queries can follow both halves of a
// conversation.

import { InvalidArgumentError } from '@netlayers/core';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface ConnectionKey {
  readonly local: Endpoint;
  readonly remote: Endpoint;
}

const KEY = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})-(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/;

/** Parse "10.0.1.10:49152-10.0.2.10:80"; undefined when the text is not a connection key. */
export function parseConnectionKey(text: string | undefined): ConnectionKey | undefined {
  if (text === undefined) return undefined;
  const m = KEY.exec(text.trim());
  if (m === null) return undefined;
  return { local: { address: m[1]!, port: Number(m[2]) }, remote: { address: m[3]!, port: Number(m[4]) } };
}

/** Like parseConnectionKey, but throws InvalidArgumentError naming the bad text (for API callers). */
export function requireConnectionKey(text: string): ConnectionKey {
  const key = parseConnectionKey(text);
  if (key === undefined) {
    throw new InvalidArgumentError('connection', text, 'expected "srcip:sport-dstip:dport", such as "10.0.1.10:49152-10.0.2.10:80"');
  }
  return key;
}

export function formatConnectionKey(key: ConnectionKey): string {
  return `${key.local.address}:${key.local.port}-${key.remote.address}:${key.remote.port}`;
}

/** The same connection seen from the other end. */
export function reverseConnectionKey(text: string): string {
  const key = parseConnectionKey(text);
  return key === undefined ? text : formatConnectionKey({ local: key.remote, remote: key.local });
}

/** A direction-free key: the two endpoints in a fixed order, for grouping both halves. */
export function canonicalConnectionKey(text: string): string {
  const key = parseConnectionKey(text);
  if (key === undefined) return text;
  const a = `${key.local.address}:${key.local.port}`;
  const b = `${key.remote.address}:${key.remote.port}`;
  return a <= b ? `${a}-${b}` : `${b}-${a}`;
}

/** True when the two keys name the same connection, in either direction. */
export function sameConnection(a: string, b: string): boolean {
  return canonicalConnectionKey(a) === canonicalConnectionKey(b);
}
