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
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LoadHook, ResolveHook } from 'node:module';
import { moduleRunnerTransformSync, transformSync } from 'oxc-transform';

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

type TransformOptions = NonNullable<Parameters<typeof transformSync>[2]>;

function transform(path: string, source: string, options: TransformOptions = {}): { code: string; map: string } {
  const result = transformSync(path, source, { lang: 'ts', sourceType: 'module', sourcemap: true, ...options });
  const errors = result.errors.filter((e) => String(e.severity) === 'Error');
  if (errors.length > 0) {
    const shown = errors.map((e) => e.codeframe ?? e.message).join('\n');
    throw new SyntaxError(`${path}: ${errors[0]!.message}\n${shown}`);
  }
  if (result.map === undefined) return { code: result.code, map: '' };
  // The script's own file as a URL, so the map points there wherever the JavaScript is.
  const sourceMap = { ...result.map, sources: [pathToFileURL(path).href], sourcesContent: undefined };
  return { code: result.code, map: `\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(sourceMap)).toString('base64')}` };
}

/** JavaScript for one TypeScript module, with its source map inline; a syntax error throws. */
export function transpile(path: string, source: string): string {
  const { code, map } = transform(path, source);
  return `${code}${map}`;
}

/** One TypeScript module transpiled to be run from another folder (typescript-cache.ts). */
export interface Relocatable {
  /** JavaScript with its source map inline; `import.meta.url`, `.filename`, `.dirname` name the .ts file. */
  readonly code: string;
  /** Every import's specifier (static, and dynamic with a string literal), `./x.ts` rewritten to `./x.js`. */
  readonly specifiers: readonly string[];
  /** Why the module cannot run from elsewhere (`import.meta` otherwise used, a computed `import()`). */
  readonly unsupported: string | undefined;
}

/** Transpile `path` so that it runs the same from a copy in another folder, or say why it cannot. */
export function transpileRelocatable(path: string, source: string): Relocatable {
  const url = pathToFileURL(path).href;
  const { code, map } = transform(path, source, {
    typescript: { rewriteImportExtensions: 'rewrite' },
    define: {
      'import.meta.url': JSON.stringify(url),
      'import.meta.filename': JSON.stringify(path),
      'import.meta.dirname': JSON.stringify(dirname(path)),
    },
  });
  // The import graph, read by oxc's own parser (the module-runner transform lists the imports).
  const graph = moduleRunnerTransformSync(path, code);
  const dynamicImports = graph.code.split('__vite_ssr_dynamic_import__(').length - 1;
  let unsupported: string | undefined;
  if (/\bimport\s*\.\s*meta\b/.test(code)) unsupported = 'uses import.meta beyond url, filename and dirname';
  else if (dynamicImports > graph.dynamicDeps.length) unsupported = 'has an import() of a computed specifier';
  return { code: `${code}${map}`, specifiers: [...new Set([...graph.deps, ...graph.dynamicDeps])], unsupported };
}

export const load: LoadHook = async (url, context, nextLoad) => {
  if (!isTypeScript(url)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  return { format: 'module', source: transpile(path, await readFile(path, 'utf8')), shortCircuit: true };
};
