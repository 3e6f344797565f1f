#!/usr/bin/env node
// The netlayers command: registers tsx so TypeScript sources run directly, then hands over
// to src/main.ts. No build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import(new URL('../src/main.ts', import.meta.url).href);
process.exitCode = await runCli(process.argv.slice(2));
