// Pluggable congestion control (types in ./types.ts): Reno (RFC 5681 + RFC 3465),
// NewReno (RFC 6582), CUBIC (RFC 9438), and a factory by name.
export * from './types.ts';
export * from './initial-window.ts';
export * from './reno.ts';
export * from './newreno.ts';
export * from './cubic.ts';
export * from './factory.ts';
