#!/usr/bin/env node
// The netlayers command: runs the prebuilt JavaScript of dist/ (rebuilt first when a package's
// sources are newer than its build, see ensure-built.js), so nothing is transpiled at start;
// a TypeScript script is transpiled in-process when it is run (src/typescript.ts). A reader
// that stops early (`netlayers run x.ts | head`) closes the pipe: the command then ends
// quietly instead of printing an EPIPE stack.
import * as nodeModule from 'node:module';
import { ensureBuilt } from './ensure-built.js';

// Node 22.1 and later keep V8's compiled code of the modules between runs (a no-op on Node 20).
nodeModule.enableCompileCache?.();

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

try {
  await ensureBuilt();
} catch {
  process.stderr.write('netlayers: building the workspace failed (the compiler said why, above); fix it, or run `pnpm build` to see it again\n');
  process.exit(1);
}
const { runCli } = await import('../dist/bundle/index.js');
process.exitCode = await runCli(process.argv.slice(2));
