// `netlayers decode <capture>`: read a pcap or pcapng file that tcpdump, Wireshark or
// netlayers wrote and show it with netlayers' own parsers: tcpdump-style lines (default),
// one frame's encapsulation in a layer model (--frame), the connections it holds
// (--connections), or a ladder of one connection (--trace). A file that is missing, is not a
// capture or holds no link type netlayers decodes, and a frame or connection number out of
// range, are usage errors (exit status 2) with a message, never a stack trace; a malformed
// frame is shown with what is wrong with it.

import { readFileSync, statSync } from 'node:fs';
import { captureConversations, captureHostEvents, interfaceLinkType, isCaptureReadError, ladder, readCapture, type CaptureConversation, type CaptureFile } from '@netlayers/trace';
import { UsageError } from './args.ts';
import { DECODE_USAGE, DecodeHelp, parseDecodeArgs, type DecodeCommand } from './decode-args.ts';
import { frameView } from './decode-frame.ts';
import { captureLines } from './decode-lines.ts';
import type { CliIo } from './run.ts';

/** Read and check the capture file; every failure is a UsageError naming the file. */
export function loadCapture(file: string): CaptureFile {
  let bytes: Uint8Array;
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${file} is a directory, not a capture file`);
    bytes = new Uint8Array(readFileSync(file));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: string }).code;
    throw new UsageError(code === 'ENOENT' ? `no such capture file: ${file}` : `cannot read ${file}: ${code ?? String(error)}`);
  }
  const capture = readCapture(bytes);
  if (isCaptureReadError(capture)) throw new UsageError(`${file} is not a capture netlayers can read: ${capture.error}`);
  if (capture.packets.length > 0 && !capture.interfaces.some((i) => interfaceLinkType(i) !== undefined)) {
    const types = [...new Set(capture.interfaces.map((i) => (i.linkType === 1 ? `Ethernet with a ${i.fcsLength}-byte FCS` : String(i.linkType))))];
    throw new UsageError(`${file}: unknown link type ${types.join(', ')}: netlayers decodes Ethernet (link type 1), with or without a 4-byte FCS`);
  }
  return capture;
}

export function describeConversation(c: CaptureConversation, index: number): string {
  const [from, to] = c.key.split('-');
  const frames = c.frames.length === 1 ? `frame ${c.firstFrame}` : `frames ${c.firstFrame}-${c.lastFrame}`;
  return `${String(index + 1).padStart(3)}  ${c.protocol.toUpperCase()} ${from} > ${to}  ${frames} (${c.frames.length} frames, ${c.payloadBytes} payload bytes)`;
}

function pickConversation(capture: CaptureFile, command: DecodeCommand): CaptureConversation {
  const conversations = captureConversations(capture);
  if (conversations.length === 0) throw new UsageError(`${command.file}: no TCP connection in this capture to draw`);
  const n = command.connection ?? 1;
  const chosen = conversations[n - 1];
  if (chosen === undefined) throw new UsageError(`--connection ${n}: this capture has ${conversations.length} connection${conversations.length === 1 ? '' : 's'} (see --connections)`);
  return chosen;
}

/** The output of one decode command (the file already read). */
export function decodeOutput(capture: CaptureFile, command: DecodeCommand): string {
  if (command.frame !== undefined) {
    if (command.frame > capture.packets.length) throw new UsageError(`--frame ${command.frame}: the capture has ${capture.packets.length} frame${capture.packets.length === 1 ? '' : 's'} (numbered from 1)`);
    return frameView(capture, command.frame, command.model, { picture: command.picture });
  }
  if (command.connections) {
    const list = captureConversations(capture);
    return list.length === 0 ? 'No TCP connections in this capture.\n' : `${list.map(describeConversation).join('\n')}\n`;
  }
  if (command.trace !== undefined) {
    const c = pickConversation(capture, command);
    const format = command.trace === 'ladder' ? 'text' : command.trace;
    const out = ladder(captureHostEvents(capture), { connection: c.key, relative: !command.absoluteSequence, model: command.model, format });
    return out.endsWith('\n') ? out : `${out}\n`;
  }
  const lines = captureLines(capture, { absoluteSequence: command.absoluteSequence, verbose: command.verbose, timeFormat: command.time, ...(command.count !== undefined ? { count: command.count } : {}) });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** `netlayers decode ...`; returns the exit status (usage errors are thrown for runCli to report). */
export async function runDecodeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseDecodeArgs(argv);
  if (command instanceof DecodeHelp) {
    io.stdout.write(DECODE_USAGE);
    return 0;
  }
  const capture = loadCapture(command.file);
  const out = decodeOutput(capture, command);
  io.stdout.write(out);
  for (const problem of capture.problems) io.stderr.write(`netlayers decode: ${command.file}: ${problem} (the frames before it are shown)\n`);
  return 0;
}
