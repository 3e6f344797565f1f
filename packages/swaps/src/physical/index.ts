// The CSMA/CD swap: a shared half-duplex bus that replaces @netlayers/physical's media.
export { CsmaCdBus, type CsmaCdCapabilities, type CsmaCdOptions } from './csma-cd.ts';
export {
  ATTEMPT_LIMIT,
  BACKOFF_LIMIT,
  CSMA_CD_PROTOCOL,
  CsmaCdStation,
  INTERFRAME_GAP_BITS,
  JAM_SIZE_BITS,
  PREAMBLE_BYTES,
  SLOT_TIME_BITS,
  type CsmaCdStationStats,
  type StationState,
} from './csma-cd-station.ts';
