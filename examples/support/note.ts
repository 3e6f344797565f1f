// Shared by the study-note examples (note-*.ts): the note's small network (client — switch —
// server, 1 ms cables, ARP resolved by a ping first) with chosen or RFC 6528 initial
// sequence numbers, and the check that prints a letter of the note beside the value the
// segment really carried on the wire.

import { Network, type Host } from '@netlayers/lab';

export interface NoteLanOptions {
  /** Client ISS; undefined lets the stack choose it (RFC 6528). */
  readonly clientIsn?: number;
  readonly serverIsn?: number;
  /** Maximum segment lifetime (TIME-WAIT lasts 2*MSL). */
  readonly msl?: string;
  readonly seed?: number;
}

export async function noteLan(options: NoteLanOptions = {}): Promise<{ net: Network; client: Host; server: Host }> {
  const net = new Network({ seed: options.seed ?? 1 });
  const sw = net.addSwitch('sw1');
  const tcp = (isn: number | undefined) => ({ ...(isn === undefined ? {} : { initialSequenceNumber: isn }), ...(options.msl === undefined ? {} : { msl: options.msl }) });
  const client = net.addHost('client', { tcp: tcp(options.clientIsn) });
  const server = net.addHost('server', { tcp: tcp(options.serverIsn) });
  net.connect([client, '10.0.0.1/24'], sw, { bandwidth: '100Mbps', delay: '1ms' });
  net.connect([server, '10.0.0.2/24'], sw, { bandwidth: '100Mbps', delay: '1ms' });
  const reply = await client.ping('10.0.0.2');
  if (!reply.ok) throw new Error('the warm-up ping got no answer');
  return { net, client, server };
}

/** "seq=i+1 = 2 ✓": a letter of the note, its value, and whether the wire agrees. */
export function letter(name: string, expected: number, actual: number | undefined): string {
  return `${name} = ${expected}${actual === expected ? ' ✓' : ` ✗ (the segment carried ${actual})`}`;
}

/** Sequence arithmetic modulo 2^32 (RFC 9293 §3.4): i + 1 of 4294967295 is 0. */
export function plus(a: number, b: number): number {
  return (a + b) >>> 0;
}

/** A value from the command line: `--name value`. */
export function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
