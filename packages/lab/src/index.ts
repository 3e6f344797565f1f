// @netlayers/lab: compose networks of hosts, routers, switches and links from swappable
// stack descriptions. This is what example scripts import.

export { Network, type Endpoint, type ConnectOptions, type NetworkOptions, type LabNode } from './network.ts';
export { Host, type HostOptions, type HostInterface } from './nodes/host.ts';
export { Switch, type SwitchOptions } from './nodes/switch.ts';
export { Segment } from './nodes/segment.ts';
export { resolveStack, type StackSpec, type NetworkLayer, type LinkFactoryOptions } from './stack.ts';
export { TapBridge, buildTapRelay, buildNativeTool, type TapBridgeOptions } from './bridge/tap.ts';
export { BoundaryMedium, type BoundaryOptions, type BoundaryStats, type BoundaryDirectionStats } from './bridge/boundary.ts';
export { runRealtime, realtimeClockOf, scheduleArrival, type RealtimeOptions, type RealtimeClock } from './bridge/realtime.ts';
