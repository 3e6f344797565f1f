// Step mode on a terminal: one step at a time, Enter for the next, q to quit. End of input
// (Ctrl+D) leaves quietly, as q does.

import { createInterface } from 'node:readline';
import type { CliIo } from './io.ts';

/** Show `text` step by step; resolves when the reader quits, reaches the end, or closes the input. */
export async function pageSteps(text: string, io: CliIo): Promise<void> {
  const blocks = text.split(/\n(?=step \d+\n)/);
  // A heading before the first step is shown with it.
  if (blocks.length > 1 && !/^step \d+\n/.test(blocks[0]!)) blocks.splice(0, 2, `${blocks[0]}\n${blocks[1]}`);
  const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: false });
  let closed = false;
  const typedAhead: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  rl.on('line', (line) => {
    const reader = waiting.shift();
    if (reader) reader(line);
    else typedAhead.push(line);
  });
  rl.on('close', () => {
    closed = true;
    for (const resolve of waiting.splice(0)) resolve(null);
  });
  const nextLine = (): Promise<string | null> => {
    const line = typedAhead.shift();
    if (line !== undefined) return Promise.resolve(line);
    return closed ? Promise.resolve(null) : new Promise((resolve) => waiting.push(resolve));
  };
  try {
    for (const [i, block] of blocks.entries()) {
      io.stdout.write(`${block.trimEnd()}\n`);
      if (i === blocks.length - 1) break;
      io.stdout.write('-- Enter: next step, q: quit -- ');
      const answer = await nextLine();
      if (answer === null) {
        io.stdout.write('\n');
        break;
      }
      if (answer.trim().toLowerCase() === 'q') break;
    }
  } finally {
    rl.close();
  }
}
