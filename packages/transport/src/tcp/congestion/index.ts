// Pluggable congestion control (types in ./types.ts).
export * from './types.ts';
