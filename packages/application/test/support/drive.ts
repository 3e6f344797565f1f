// Test helper: run a fake network's virtual time while Node's event loop settles promises.

import { driveWithEventLoop } from '@netlayers/core';
import type { FakeNetwork } from '@netlayers/testing';

export async function drive<T>(net: FakeNetwork, promise: Promise<T>): Promise<T> {
  await driveWithEventLoop(net.scheduler, { until: promise });
  return promise;
}

export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
