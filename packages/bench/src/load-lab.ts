// Loads @netlayers/lab from this checkout, or from another one given by `--root DIR` (an
// older checkout, for before/after runs of the same benchmark script in one command), and
// proves that every workspace package the lab pulled in came from that same checkout.
//
// Why a child process: tsx maps `@netlayers/*` through the `paths` of the tsconfig.json in
// the process's working directory, for every importer. Importing another checkout's lab from
// a process started here therefore gave that lab THIS tree's core, link, network and
// transport, and an A/B compared only the lab package. With `--root DIR` the script re-runs
// itself with DIR as its working directory (DIR's own tsconfig and node_modules), and a
// module-resolution hook records every resolved URL so the load refuses on a mismatch.

import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';

export type Lab = typeof import('@netlayers/lab');

/** The repository root of this checkout (this file is packages/bench/src/load-lab.ts). */
export const thisCheckout = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// Runs on Node's loader thread, after tsx's hooks (registered earlier, so called by `next`):
// posts each final URL to the main thread, which drains the port synchronously.
const RECORDER = `let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;

/** Starts recording resolved module URLs; the returned function drains what was recorded so far. */
export function recordResolutions(): () => string[] {
  const { port1, port2 } = new MessageChannel();
  register(`data:text/javascript,${encodeURIComponent(RECORDER)}`, { data: { port: port2 }, transferList: [port2] });
  const seen: string[] = [];
  return () => {
    for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) seen.push(m.message as string);
    return seen;
  };
}

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
};

/**
 * Which checkout each workspace package (other than this bench package) was loaded from:
 * package name → checkout roots, from resolved `file:` URLs of the form
 * `<root>/packages/<name>/...` outside node_modules.
 */
export function packageOrigins(urls: readonly string[]): Map<string, Set<string>> {
  const origins = new Map<string, Set<string>>();
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const file = real(fileURLToPath(url));
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    const m = /^(.*)[\\/]packages[\\/]([^\\/]+)[\\/]/.exec(file);
    if (m === null || m[2] === 'bench') continue;
    let roots = origins.get(m[2]!);
    if (roots === undefined) origins.set(m[2]!, (roots = new Set()));
    roots.add(m[1]!);
  }
  return origins;
}

/** Throws unless every workspace package in `urls` came from `root`; returns the package names. */
export function assertOneCheckout(urls: readonly string[], root: string): string[] {
  const want = real(root);
  const origins = packageOrigins(urls);
  const wrong: string[] = [];
  for (const [name, roots] of origins) for (const r of roots) if (r !== want) wrong.push(`${name} from ${r}`);
  if (wrong.length > 0) throw new Error(`layers loaded from the wrong checkout (want ${want}): ${wrong.join(', ')}`);
  if (!origins.has('lab') || !origins.has('core')) throw new Error(`no lab/core resolution recorded under ${want}: ${[...origins.keys()].join(', ') || 'none'}`);
  return [...origins.keys()].sort();
}

/**
 * Node flags for a child in another working directory: `--import tsx` (a bare specifier,
 * resolved from the working directory) becomes this checkout's tsx by URL.
 */
export function portableExecArgv(execArgv: readonly string[]): string[] {
  const bare = (s: string): boolean => !/^(\.|\/|file:|data:|node:)/.test(s);
  return execArgv.map((arg, i) => {
    const eq = /^(--import|--loader|--experimental-loader)=(.*)$/.exec(arg);
    if (eq !== null && bare(eq[2]!)) return `${eq[1]}=${import.meta.resolve(eq[2]!)}`;
    const previous = execArgv[i - 1];
    if ((previous === '--import' || previous === '--loader' || previous === '--experimental-loader') && bare(arg)) return import.meta.resolve(arg);
    return arg;
  });
}

/**
 * Removes `flag DIR` (default `--root`) from `args` and returns the lab module of that checkout
 * (or of this one), with the packages it was verified to load. When DIR is not the working
 * directory, re-runs this process's script with DIR as working directory and exits with its
 * status (so this function does not return in the parent).
 */
export async function loadLab(args: string[], flag = '--root'): Promise<{ lab: Lab; root: string; packages: string[] }> {
  const at = args.indexOf(flag);
  let root = thisCheckout;
  if (at >= 0) {
    const dir = args[at + 1];
    if (dir === undefined) throw new Error(`${flag} needs a directory (a checkout of the repository)`);
    root = real(dir);
    if (real(process.cwd()) !== root) {
      const script = process.argv[1];
      if (script === undefined) throw new Error('loadLab: no script path to re-run');
      const child = spawnSync(process.execPath, [...portableExecArgv(process.execArgv), script, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
      if (child.error) throw child.error;
      process.exit(child.status ?? 1);
    }
    args.splice(at, 2);
  }
  const drain = recordResolutions();
  const lab = (await import(at >= 0 ? pathToFileURL(path.join(root, 'packages/lab/src/index.ts')).href : '@netlayers/lab')) as Lab;
  const packages = assertOneCheckout(drain(), root);
  return { lab, root: at >= 0 ? root : 'this checkout', packages };
}
