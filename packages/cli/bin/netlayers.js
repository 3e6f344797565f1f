#!/usr/bin/env node
// The netlayers command: registers tsx so TypeScript sources run directly, then hands over
// to src/main.ts. No build step. A reader that stops early (`netlayers run x.ts | head`)
// closes the pipe: the command then ends quietly instead of printing an EPIPE stack.
import { register } from 'tsx/esm/api';

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { runCli } = await import(new URL('../src/main.ts', import.meta.url).href);
process.exitCode = await runCli(process.argv.slice(2));
