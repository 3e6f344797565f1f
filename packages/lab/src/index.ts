// @netlayers/lab: compose networks of hosts, routers, switches and links from swappable
// stack descriptions. This is what example scripts import. Bridges to real networks (TAP,
// the wall clock) are Node-only and live in `@netlayers/lab/node`.

export { Network, type Endpoint, type ConnectOptions, type NetworkOptions, type LabNode } from './network.ts';
export { Host, type HostOptions, type HostInterface } from './nodes/host.ts';
export { Switch, type SwitchOptions } from './nodes/switch.ts';
export { Segment } from './nodes/segment.ts';
export { resolveStack, type StackSpec, type NetworkLayer, type LinkFactoryOptions } from './stack.ts';
export { setRunOverrides, currentRunOverrides, type RunOverrides } from './overrides.ts';
