// The modules a script running in the page may import: every @netlayers package (the real
// ones, bundled into the worker) and the few node: built-ins the examples use, served by
// browser shims. Anything else is refused with a message that names it.

import * as core from '@netlayers/core';
import * as physical from '@netlayers/physical';
import * as link from '@netlayers/link';
import * as network from '@netlayers/network';
import * as transport from '@netlayers/transport';
import * as application from '@netlayers/application';
import * as lab from '@netlayers/lab';
import * as trace from '@netlayers/trace';
import * as swaps from '@netlayers/swaps';
import * as path from 'pathe';
import * as fs from '../shims/fs.ts';
import * as crypto from '../shims/crypto.ts';
import * as url from '../shims/url.ts';

const BUILT_INS: Readonly<Record<string, unknown>> = {
  '@netlayers/core': core,
  '@netlayers/physical': physical,
  '@netlayers/link': link,
  '@netlayers/network': network,
  '@netlayers/transport': transport,
  '@netlayers/application': application,
  '@netlayers/lab': lab,
  '@netlayers/trace': trace,
  '@netlayers/swaps': swaps,
  'node:path': path,
  'node:fs': fs,
  'node:crypto': crypto,
  'node:url': url,
};

/** The module for a bare specifier, with `path` and `node:path` alike; undefined when none. */
export function builtInModule(specifier: string): unknown {
  return BUILT_INS[specifier] ?? BUILT_INS[`node:${specifier}`];
}

export const BUILT_IN_NAMES: readonly string[] = Object.keys(BUILT_INS);
