// @netlayers/swaps: worked layer swaps, each importing only @netlayers/core and plugging
// into the same contracts our own layers implement: a CSMA/CD shared medium (physical), a
// four-layer PPP network-access module (link + physical as one), distance-vector routing
// (network control plane), and stop-and-wait / go-back-N transports (stream transport).

export * from './access/index.ts';
export * from './network/index.ts';
export * from './physical/index.ts';
export * from './transport/index.ts';
export type { ArqHeaderInfo, ArqFlagName, PppHeaderInfo, RipHeaderInfo } from './trace-headers.ts';
export { registerDissectors, arqDissector, pppDissector, ripDissector } from './dissectors.ts';
