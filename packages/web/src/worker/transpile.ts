// A script's TypeScript made runnable in the page: types stripped and ES imports turned into
// require() calls by sucrase, `import.meta.url` made a parameter of the function the script
// runs in. Modern syntax (optional chaining, class fields...) is left as written: the
// browsers the page supports run it natively. The worker calls this for an edited script;
// the build (vite.config.ts) calls it for the shipped examples, so running one unedited
// transpiles nothing in the page.

import { transform } from 'sucrase';

/** The name `import.meta.url` is replaced by; the runner passes the file's URL under it. */
export const META_URL = '__netlayersImportMetaUrl';

/** A script error, located in the script (file and line) rather than in the runner. */
export class ScriptError extends Error {
  constructor(message: string, readonly file: string, readonly line: number | undefined) {
    super(message);
  }
}

/** Types stripped, ES imports turned into require(); `import.meta.url` made a parameter. */
export function transpile(source: string, filePath: string): string {
  const withMeta = source.replaceAll('import.meta.url', META_URL);
  try {
    return transform(withMeta, { transforms: ['typescript', 'imports'], filePath, production: true, disableESTransforms: true }).code;
  } catch (error) {
    const located = error as Error & { loc?: { line: number; column: number } };
    throw new ScriptError(`${filePath}: ${located.message}`, filePath, located.loc?.line);
  }
}
