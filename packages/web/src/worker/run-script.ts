// Run a netlayers script (TypeScript, as the examples are written) inside the page's
// worker: transpile it with sucrase (types stripped, imports turned into require calls),
// then run it as an async function with a require() that serves the bundled @netlayers
// packages, the browser shims of node: built-ins, and the script's sibling files. The
// script sees a `process` whose argv carries the page's options, and a console whose lines
// come back to the page. This is the same contract `netlayers run` gives a script in Node.

import { dirname, resolve } from 'pathe';
import { builtInModule } from './modules.ts';
import { META_URL, ScriptError, transpile } from './transpile.ts';

export { ScriptError, transpile } from './transpile.ts';

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;

/** A script's sources by absolute path ('/examples/ping.ts'), the entry among them. */
export interface ScriptBundle {
  readonly files: Readonly<Record<string, string>>;
  readonly entry: string;
  readonly args: readonly string[];
  /** Code already transpiled (at build time) for files as shipped, by path; the rest is transpiled here. */
  readonly transpiled?: Readonly<Record<string, string>>;
}

/** The script called process.exit(code). */
export class ScriptExit extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

function formatArgs(args: readonly unknown[]): string {
  return args
    .map((a) => (typeof a === 'string' ? a : a instanceof Error ? (a.stack ?? a.message) : safeJson(a)))
    .join(' ');
}

function safeJson(value: unknown): string {
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) : String(value);
  } catch {
    return String(value);
  }
}

/** Run the bundle's entry to completion; `write` gets everything it prints, line by line. */
export async function runScript(bundle: ScriptBundle, write: (text: string) => void): Promise<void> {
  const cache = new Map<string, { exports: Record<string, unknown> }>();
  const pending: Promise<void>[] = [];
  const out = { write: (text: string) => (write(String(text)), true), isTTY: false, columns: 100 };
  const consoleShim = {
    log: (...a: unknown[]) => write(`${formatArgs(a)}\n`),
    info: (...a: unknown[]) => write(`${formatArgs(a)}\n`),
    warn: (...a: unknown[]) => write(`${formatArgs(a)}\n`),
    error: (...a: unknown[]) => write(`${formatArgs(a)}\n`),
    debug: (...a: unknown[]) => write(`${formatArgs(a)}\n`),
  };
  const processShim = {
    argv: ['node', bundle.entry, ...bundle.args],
    env: {} as Record<string, string>,
    platform: 'browser',
    exitCode: undefined as number | undefined,
    stdout: out,
    stderr: out,
    exit(code = 0): never {
      throw new ScriptExit(code);
    },
    nextTick(fn: (...a: unknown[]) => void, ...a: unknown[]) {
      queueMicrotask(() => fn(...a));
    },
    cwd: () => '/',
  };

  const load = (path: string): { exports: Record<string, unknown>; done: Promise<void> } => {
    const source = bundle.files[path];
    if (source === undefined) throw new ScriptError(`cannot find module '${path}'`, path, undefined);
    const module = { exports: {} as Record<string, unknown> };
    cache.set(path, module);
    const body = new AsyncFunction('require', 'exports', 'module', 'process', 'console', META_URL, bundle.transpiled?.[path] ?? transpile(source, path));
    const requireFrom = (specifier: string): unknown => {
      const builtIn = builtInModule(specifier);
      if (builtIn !== undefined) return builtIn;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = resolve(dirname(path), specifier);
        const cached = cache.get(target);
        if (cached !== undefined) return cached.exports;
        const loaded = load(target);
        pending.push(loaded.done);
        return loaded.exports;
      }
      throw new ScriptError(`'${specifier}' is not available in the browser (only @netlayers/* packages, node:path, node:fs, node:crypto and node:url are)`, path, undefined);
    };
    const done = body(requireFrom, module.exports, module, processShim, consoleShim, `file://${path}`);
    return { exports: module.exports, done };
  };

  try {
    await load(bundle.entry).done;
    await Promise.all(pending);
  } catch (error) {
    if (error instanceof ScriptExit && error.code === 0) return;
    throw error;
  }
}
