// Browsers have no native CRC-32: crc32.ts then uses its slicing-by-8 table version for
// every length. Chosen by the `#native-crc32` import condition in package.json.

export type NativeCrc = (data: Uint8Array, value?: number) => number;

export const nativeCrc32: NativeCrc | undefined = undefined;
