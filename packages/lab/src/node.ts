// @netlayers/lab/node: bridges from a lab to real networks, for Node only (they use
// child processes, /dev/net/tun and UDP sockets; browsers never load this entry point).

export { TapBridge, buildTapRelay, buildNativeTool, type TapBridgeOptions } from './bridge/tap.ts';
export { VxlanEndpoint, type VxlanOptions, type VxlanRemote, type VxlanFdbEntry, type VxlanCounters } from './bridge/vxlan.ts';
export { BoundaryMedium, withFcs, type BoundaryOptions, type BoundaryStats, type BoundaryDirectionStats } from './bridge/boundary.ts';
export { runRealtime, realtimeClockOf, scheduleArrival, type RealtimeOptions, type RealtimeClock } from './bridge/realtime.ts';
