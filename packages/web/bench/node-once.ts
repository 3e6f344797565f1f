// One run of the bulk-transfer example in this (fresh) Node process, every trace event
// recorded, as `netlayers run` does: the cold figure, whose JIT starts from nothing as a
// page's new worker does. browser-vs-node.ts spawns it; it prints the run's milliseconds.
//   node --import tsx --conditions=netlayers-source packages/web/bench/node-once.ts [size]

import { performance } from 'node:perf_hooks';
import { Network } from '@netlayers/lab';
import { TraceRecorder } from '@netlayers/trace';

const size = process.argv[2] ?? '10MB';
const { main } = (await import('../../../examples/bulk-transfer.ts')) as { main: (write: (line: string) => void, args: readonly string[]) => Promise<unknown> };
const recorders: TraceRecorder[] = [];
Network.onCreate((network) => recorders.push(new TraceRecorder().record(network.trace)));
const t0 = performance.now();
await main(() => {}, ['--size', size]);
const ms = performance.now() - t0;
if (recorders.length === 0 || recorders.some((r) => r.events.length === 0)) throw new Error('the run recorded no events');
console.log(ms.toFixed(1));
