// Running a user's TypeScript in the command's own process: registers the module hooks of
// typescript-hooks.ts (oxc-transform) the first time a .ts or .mts script or stack module is
// imported, and turns on source maps so a script's stack frames name its own .ts lines. A
// JavaScript script pays for neither. When the command itself runs from its TypeScript sources
// (under vitest or tsx), that runner already transpiles, and nothing is registered.

import { register } from 'node:module';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';

let registered = false;

/** Make `import()` of `path` work when it is TypeScript; returns the URL to import. */
export async function prepareImport(path: string): Promise<string> {
  const url = pathToFileURL(path).href;
  if (registered || !['.ts', '.mts'].includes(extname(path))) return url;
  registered = true;
  if (import.meta.url.endsWith('.ts')) return url;
  process.setSourceMapsEnabled(true);
  register(new URL('./typescript-hooks.js', import.meta.url));
  return url;
}
