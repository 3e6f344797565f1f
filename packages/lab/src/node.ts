// @netlayers/lab/node: the Node-only part of the lab, bridges to real networks (they use
// child processes, /dev/net/tun and UDP sockets). A TAP device joins an emulated host or
// switch to the Linux kernel, a VXLAN endpoint joins a segment to other processes, machines
// and Linux vxlan devices, and runRealtime pins virtual time to the wall clock while a real
// peer is on the other end. Browsers load `@netlayers/lab` without these.

export { TapBridge, buildTapRelay, buildNativeTool, type TapBridgeOptions } from './bridge/tap.ts';
export { VxlanEndpoint, type VxlanOptions, type VxlanRemote, type VxlanFdbEntry, type VxlanCounters } from './bridge/vxlan.ts';
export { BoundaryMedium, withFcs, type BoundaryOptions, type BoundaryStats, type BoundaryDirectionStats } from './bridge/boundary.ts';
export { runRealtime, scheduleArrival, type RealtimeOptions } from './bridge/realtime.ts';
export { realtimeClockOf, type RealtimeClock } from './bridge/realtime-clock.ts';
export { NetNamespace, sh, shQuiet } from './bridge/netns.ts';
