// runRealtime reads input that has already arrived before it runs timers that fell due in
// the meantime. A frame that reached the process before a retransmission timer expired
// must be handed to the stack first, stamped with its arrival time; running the timer first
// makes the stack time out on data it already has (spurious RTOs, inflated RTT samples).

import { describe, it, expect } from 'vitest';
import { createSocket } from 'node:dgram';
import { Worker } from 'node:worker_threads';
import { Scheduler } from '@netlayers/core';
import { runRealtime, scheduleArrival } from '../src/node.ts';

const ms = 1e6;

describe('runRealtime ordering', () => {
  it('input that arrived while the loop was blocked runs before a timer that fell due later', async () => {
    const scheduler = new Scheduler();
    const order: string[] = [];
    const receiver = createSocket('udp4');
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
    const port = receiver.address().port;
    // The sender is another thread (like the relay, another process): it sends while this
    // thread is busy, so the datagram waits in the socket until this thread's loop polls.
    const go = new Int32Array(new SharedArrayBuffer(8));
    const sender = new Worker(
      `const { workerData } = require('node:worker_threads'); const s = require('node:dgram').createSocket('udp4');
       Atomics.wait(workerData.go, 0, 0); s.send(Buffer.from('frame'), workerData.port, '127.0.0.1', () => { Atomics.store(workerData.go, 1, 1); s.close(); });`,
      { eval: true, workerData: { go, port } },
    );
    await new Promise((resolve) => sender.once('online', resolve));
    let stamp = 0n;
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const maybeDone = (): void => {
      if (order.length === 2) resolveDone();
    };
    // Like the TAP relay: the frame carries the monotonic time at which it arrived.
    receiver.on('message', () =>
      scheduleArrival(scheduler, stamp, 0, () => {
        order.push('input');
        maybeDone();
      }),
    );
    // The timer falls due at 60 ms of virtual (= real) time.
    scheduler.scheduleAt(60 * ms, () => {
      order.push('timer');
      maybeDone();
    });
    // At about 20 ms real time the datagram is sent while this thread is busy (in the check
    // phase, as a long run of the scheduler would be) until past the timer: when the loop
    // turns, its own wake-up timer has expired and the datagram waits unread in the socket.
    const blocker = setTimeout(() =>
      setImmediate(() => {
        stamp = process.hrtime.bigint();
        Atomics.store(go, 0, 1);
        Atomics.notify(go, 0);
        const until = process.hrtime.bigint() + 80n * 1_000_000n;
        while (process.hrtime.bigint() < until || Atomics.load(go, 1) === 0) {
          // busy
        }
      }),
    20);
    try {
      await runRealtime(scheduler, { until: done, timeoutMs: 5_000 });
    } finally {
      clearTimeout(blocker);
      receiver.close();
      await sender.terminate();
    }
    expect(order).toEqual(['input', 'timer']);
  });
});
