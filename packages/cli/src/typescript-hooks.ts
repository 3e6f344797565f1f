// Node module customization hooks (node:module register(), the "resolve" and "load" hooks) that
// let `netlayers run` import a user's TypeScript script in the same process: a .ts or .mts file
// is transpiled by oxc-transform (types removed; enums, namespaces and parameter properties
// lowered) and loaded as an ES module, with an inline source map so stack traces point at the
// script's own lines. Nothing is type-checked here (that is `tsc`'s job). The netlayers
// packages themselves are never transpiled: they load as the prebuilt JavaScript of dist/.
//
// Resolution is Node's own, plus the two liberties tsx allows a TypeScript file, so scripts
// written for tsx run unchanged: a relative "./x.js" that does not exist but "./x.ts" does, and
// an extensionless "./x" standing for "./x.ts" or "./x/index.ts".

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { LoadHook, ResolveHook } from 'node:module';
import { transformSync } from 'oxc-transform';

const TYPESCRIPT = /\.m?ts$/;

function isTypeScript(url: string): boolean {
  return url.startsWith('file:') && TYPESCRIPT.test(new URL(url).pathname) && !url.endsWith('.d.ts');
}

/** The candidates tsx would try for a relative specifier Node could not find. */
function alternatives(specifier: string): string[] {
  if (/\.m?js$/.test(specifier)) return [specifier.replace(/js$/, 'ts')];
  if (/\.[a-z]+$/i.test(specifier.slice(specifier.lastIndexOf('/') + 1))) return [];
  return [`${specifier}.ts`, `${specifier}/index.ts`];
}

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    const fromTypeScript = context.parentURL !== undefined && isTypeScript(context.parentURL);
    if (!relative || !fromTypeScript || (error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    for (const candidate of alternatives(specifier)) {
      try {
        return await nextResolve(candidate, context);
      } catch {
        // try the next candidate; the original error is the one reported
      }
    }
    throw error;
  }
};

/** JavaScript for one TypeScript module, with its source map inline; a syntax error throws. */
export function transpile(path: string, source: string): string {
  const result = transformSync(path, source, { lang: 'ts', sourceType: 'module', sourcemap: true });
  const errors = result.errors.filter((e) => String(e.severity) === 'Error');
  if (errors.length > 0) {
    const shown = errors.map((e) => e.codeframe ?? e.message).join('\n');
    throw new SyntaxError(`${path}: ${errors[0]!.message}\n${shown}`);
  }
  const map = result.map === undefined ? '' : `\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(result.map)).toString('base64')}`;
  return `${result.code}${map}`;
}

export const load: LoadHook = async (url, context, nextLoad) => {
  if (!isTypeScript(url)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  return { format: 'module', source: transpile(path, await readFile(path, 'utf8')), shortCircuit: true };
};
