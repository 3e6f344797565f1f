// docs/architecture.md's package table against the code: its "imports of ours" column must
// list exactly the @netlayers/* packages each package's shipped code (src/, bin/) imports,
// one row per package under packages/. A failure names the package and the edge that is
// missing from the doc or that the doc has and the code does not.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, filesOf, importsOf, workspacePackages } from './support/workspace.ts';

interface Row {
  readonly name: string;
  readonly imports: readonly string[];
}

/** The rows of the table under "## Packages": `| \`name\` | role | a, b, c |` ("none" for no imports). */
export function parsePackageTable(markdown: string): Row[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Packages\n'));
  if (section === undefined) throw new Error('docs/architecture.md has no "## Packages" section');
  const rows: Row[] = [];
  for (const line of section.split('\n')) {
    const match = /^\|\s*`([^`]+)`\s*\|.*\|\s*([^|]*?)\s*\|\s*$/.exec(line);
    if (match === null) continue;
    const column = match[2]!;
    rows.push({ name: match[1]!, imports: column === 'none' ? [] : column.split(',').map((s) => s.trim()) });
  }
  return rows;
}

const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
const rows = parsePackageTable(doc);
const packages = workspacePackages().filter((p) => p.dir.startsWith('packages/'));

describe("docs/architecture.md's package table", () => {
  it('has one row per package, and no row for a package that does not exist', () => {
    const names = rows.map((r) => r.name);
    const duplicated = names.filter((n, i) => names.indexOf(n) !== i);
    expect(duplicated, 'packages with more than one row').toEqual([]);
    expect(packages.map((p) => p.short).filter((n) => !names.includes(n)), 'packages with no row').toEqual([]);
    expect(names.filter((n) => !packages.some((p) => p.short === n)), 'rows naming no package').toEqual([]);
  });

  for (const pkg of packages) {
    it(`lists exactly what ${pkg.short}'s src imports of ours`, () => {
      const row = rows.find((r) => r.name === pkg.short);
      if (row === undefined) return; // reported by the test above
      const imported = [...importsOf(filesOf(pkg).runtime).keys()]
        .filter((name) => name.startsWith('@netlayers/'))
        .map((name) => name.slice('@netlayers/'.length))
        .filter((name) => name !== pkg.short);
      const missing = imported.filter((n) => !row.imports.includes(n)).map((n) => `${pkg.short} -> ${n} (imported, not in the doc)`);
      const extra = row.imports.filter((n) => !imported.includes(n)).map((n) => `${pkg.short} -> ${n} (in the doc, not imported)`);
      expect([...missing, ...extra]).toEqual([]);
    });
  }
});

describe('parsePackageTable', () => {
  it('reads the name and the comma list, "none" as no imports, and only the Packages section', () => {
    const md = ['# T', '## Packages', '| package | role | imports of ours |', '|---|---|---|', '| `core` | contracts | none |', '| `lab` | the lab, with a | in it | core, link |', '## Other', '| `x` | y | core |'].join('\n');
    expect(parsePackageTable(md)).toEqual([
      { name: 'core', imports: [] },
      { name: 'lab', imports: ['core', 'link'] },
    ]);
  });
});
