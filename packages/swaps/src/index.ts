// @netlayers/swaps: worked layer swaps, each importing only @netlayers/core and plugging
// into the same contracts our own layers implement.

export * from './physical/index.ts';
