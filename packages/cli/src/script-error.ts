// A script's own error, shown as the script's author needs it: the error's name and message
// and the stack frames of their code, without the frames of netlayers' packages, of the
// command itself, of node_modules or of Node's internals (those are kept only when nothing
// else is left, so an error is never shown without any frame).

import { fileURLToPath } from 'node:url';
import { relative, sep } from 'node:path';

// The repository root: everything before packages/cli/, wherever this module sits beneath it
// (src/ when run from the sources, dist/bundle/ when run from the build).
const HERE = fileURLToPath(import.meta.url);
const ROOT = HERE.slice(0, HERE.lastIndexOf(`${sep}packages${sep}cli${sep}`) + 1);

/** The error a script threw (on import or in main()). */
export class ScriptError extends Error {
  constructor(
    readonly script: string,
    readonly original: unknown,
  ) {
    super(`the script ${script} failed`);
  }

  /** "netlayers: my-net.ts failed: InvalidArgumentError: ...\n    at ... (my-net.ts:4:5)" */
  describe(): string {
    const error = this.original;
    if (!(error instanceof Error)) return `netlayers: ${this.script} failed: ${String(error)}\n`;
    const stack = error.stack ?? `${error.name}: ${error.message}`;
    const lines = stack.split('\n');
    const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
    const head = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join('\n');
    const frames = firstFrame === -1 ? [] : lines.slice(firstFrame);
    const own = frames.filter((l) => !isInternal(l)).map(shorten);
    const shown = own.length > 0 ? own : frames.slice(0, 3).map(shorten);
    return `netlayers: ${this.script} failed:\n${head}\n${shown.join('\n')}\n`.replace(/\n+$/, '\n');
  }
}

function isInternal(frame: string): boolean {
  if (frame.includes('node:internal') || frame.includes('/node_modules/') || frame.includes('node:') && !frame.includes('file:')) return true;
  const path = frame.replace(/^.*?\(?(?:file:\/\/)?(\/[^:)]+)(?::\d+){0,2}\)?\s*$/, '$1');
  const rel = relative(ROOT, path);
  return rel.startsWith('packages/') || rel.startsWith('packages\\');
}

/** File URLs and absolute paths under the working directory shown relative to it. */
function shorten(frame: string): string {
  return frame.replace(/(?:file:\/\/)?(\/[^:)]+)/, (_, p: string) => {
    const rel = relative(process.cwd(), p);
    return rel.startsWith('..') ? p : rel;
  });
}
