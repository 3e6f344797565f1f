// Loads @netlayers/lab from this checkout, or from another one given by `--root DIR` (an
// older checkout, for before/after runs of the same benchmark script in one command).

import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type Lab = typeof import('@netlayers/lab');

/** Removes `--root DIR` from `args` and returns the lab module it names (or this checkout's). */
export async function loadLab(args: string[]): Promise<{ lab: Lab; root: string }> {
  const at = args.indexOf('--root');
  if (at < 0) return { lab: await import('@netlayers/lab'), root: 'this checkout' };
  const root = args[at + 1];
  if (root === undefined) throw new Error('--root needs a directory (a checkout of the repository)');
  args.splice(at, 2);
  const entry = pathToFileURL(path.resolve(root, 'packages/lab/src/index.ts')).href;
  return { lab: (await import(entry)) as Lab, root };
}
