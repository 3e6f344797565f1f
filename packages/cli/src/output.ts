// Output files (--pcap, --out): refused before the run when they could not be written (no
// such directory, a directory in the way, no permission), with a message naming the flag,
// the path and why; written afterwards.

import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './args.ts';

/** Throw a UsageError unless `path` can be created or replaced. */
export function assertWritable(flag: string, path: string): void {
  const file = resolve(path);
  const why = reasonNotWritable(file);
  if (why !== undefined) throw new UsageError(`cannot write ${flag} file "${path}": ${why}`);
}

function reasonNotWritable(file: string): string | undefined {
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) return 'it is a directory';
    try {
      accessSync(file, constants.W_OK);
      return undefined;
    } catch {
      return 'permission denied';
    }
  }
  const dir = dirname(file);
  if (!existsSync(dir)) return `directory ${dir} does not exist`;
  if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch {
    return `permission denied in ${dir}`;
  }
}

/** Write `text` to `path` (checked before the run); returns the absolute path. */
export function writeOutput(flag: string, path: string, text: string | Uint8Array): string {
  const file = resolve(path);
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`cannot write ${flag} file "${path}": ${error instanceof Error ? error.message : String(error)}`);
  }
  return file;
}
