// Distance-vector routing: a RIP-like protocol (RFC 2453) that swaps static routes for
// routes learned from neighbours, over the NetworkConfigurator and DatagramTransport contracts.

export * from './rip-wire.ts';
export {
  DistanceVectorRouter,
  type DistanceVectorChange,
  type DistanceVectorOptions,
  type DistanceVectorRoute,
  type SplitHorizon,
} from './distance-vector-router.ts';
