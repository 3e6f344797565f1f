// Node's native CRC-32 (zlib.crc32, Node 20.15+/22.2+), when the running Node has it. The
// browser build resolves `#native-crc32` to native-crc32.browser.ts instead (package.json
// "imports" conditions), so no page ever loads node:zlib.

import * as zlib from 'node:zlib';

export type NativeCrc = (data: Uint8Array, value?: number) => number;

export const nativeCrc32: NativeCrc | undefined = (zlib as unknown as { crc32?: NativeCrc }).crc32;
