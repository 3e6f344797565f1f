// Vitest global setup: bring every package's dist/ up to date before the tests start, since
// tests spawn the `netlayers` command and tsx scripts, which load the prebuilt JavaScript (the
// tests themselves import the TypeScript sources).
import { ensureBuilt } from './packages/cli/bin/ensure-built.js';

export default async function setup(): Promise<void> {
  await ensureBuilt();
}
