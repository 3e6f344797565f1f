// Test support: the real Mermaid parser and fast-xml-parser, which are dev dependencies of
// @netlayers/trace (the package that renders those formats), loaded from there so the CLI's
// output is checked by the same parsers without a dependency of its own.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const fromTrace = createRequire(new URL('../../../trace/package.json', import.meta.url));

export async function mermaidParse(text: string): Promise<unknown> {
  const mermaid = (await import(pathToFileURL(fromTrace.resolve('mermaid')).href)) as { default: { parse(text: string): Promise<unknown> } };
  return mermaid.default.parse(text);
}

export function isValidXml(text: string): boolean {
  const fxp = fromTrace('fast-xml-parser') as { XMLValidator: { validate(text: string): true | object } };
  return fxp.XMLValidator.validate(text) === true;
}
