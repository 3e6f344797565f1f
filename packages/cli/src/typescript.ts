// Running a user's TypeScript in the command's own process. A .ts or .mts script is first
// offered to the cache of typescript-cache.ts (its import graph transpiled once by
// oxc-transform, then imported as plain JavaScript: no module hooks, no worker thread); a
// script the cache cannot run exactly as written gets the module hooks of typescript-hooks.ts
// instead, registered the first time they are needed. Either way source maps are turned on, so
// a script's stack frames name its own .ts lines. A JavaScript script pays for none of it. When
// the command itself runs from its TypeScript sources (under vitest or tsx), that runner already
// transpiles, and nothing is done.

import { register } from 'node:module';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileGraph } from './typescript-cache.ts';

let registered = false;

/** The environment variable that turns the cache off (`NETLAYERS_TS_CACHE=0`): always use the hooks. */
export const TS_CACHE_ENV = 'NETLAYERS_TS_CACHE';

/** Make `import()` of `path` work when it is TypeScript; returns the URL to import. */
export async function prepareImport(path: string): Promise<string> {
  const url = pathToFileURL(path).href;
  if (!['.ts', '.mts'].includes(extname(path)) || import.meta.url.endsWith('.ts')) return url;
  process.setSourceMapsEnabled(true);
  if (!registered && process.env[TS_CACHE_ENV] !== '0') {
    const cached = await compileGraph(path);
    if (cached !== undefined) return cached;
  }
  if (!registered) register(new URL('./typescript-hooks.js', import.meta.url));
  registered = true;
  return url;
}
