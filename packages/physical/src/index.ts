// @netlayers/physical: the physical layer. Point-to-point links and hubs with bandwidth,
// propagation delay, MTU and drop-tail queues; impairments (loss, duplication, corruption,
// reordering, jitter, rate limiting) as PhyPort wrappers that compose.

export {
  DEFAULT_BANDWIDTH,
  DEFAULT_DELAY,
  DEFAULT_FRAMING_OVERHEAD,
  DEFAULT_MTU,
  DEFAULT_QUEUE_LIMIT,
  ETHERNET_FRAME_OVERHEAD,
  resolveMediumOptions,
  serializationTime,
  type HubOptions,
  type MediumOptions,
  type PhysicalCapabilities,
  type PointToPointOptions,
  type ResolvedMediumOptions,
} from './options.ts';
export { PointToPointLink } from './point-to-point.ts';
export { Hub } from './hub.ts';
export { MediumBase } from './medium-base.ts';
export { MediumPort } from './medium-port.ts';
export { SerialTransmitter, type TransmitterEvents } from './transmitter.ts';
export { FifoQueue } from './frame-queue.ts';
export { PHY_PROTOCOL, interfaceNameOf, traceFrame, traceLostFrame } from './trace.ts';
export { ImpairmentPort } from './impairments/impairment-port.ts';
export { LossImpairment } from './impairments/loss.ts';
export { DuplicateImpairment } from './impairments/duplicate.ts';
export { CorruptImpairment } from './impairments/corrupt.ts';
export { ReorderImpairment } from './impairments/reorder.ts';
export { JitterImpairment } from './impairments/jitter.ts';
export { RateLimitImpairment } from './impairments/rate-limit.ts';
export { impair, IMPAIRMENT_ORDER } from './impairments/impair.ts';
export {
  assertProbability,
  validateImpairments,
  type ImpairmentOptions,
  type RateLimitOptions,
  type ReorderOptions,
} from './impairments/options.ts';
