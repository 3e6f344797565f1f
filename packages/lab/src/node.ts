// @netlayers/lab/node: the Node-only part of the lab, bridges to real networks. A TAP device
// joins an emulated host to the Linux kernel, and runRealtime pins virtual time to the wall
// clock while a real peer is on the other end. Browsers load `@netlayers/lab` without these.

export { TapBridge, buildTapRelay, type TapBridgeOptions } from './bridge/tap.ts';
export { runRealtime, type RealtimeOptions } from './bridge/realtime.ts';
