// @netlayers/core: the contracts every layer codes against. Layer packages import this
// package and nothing else of ours.

export * from './errors.ts';
export * from './errors-socket.ts';
export * from './result.ts';
export * from './units.ts';
export * from './random.ts';
export * from './packet.ts';
export * from './protocols.ts';
export * from './models.ts';
export * from './time/scheduler.ts';
export * from './time/drive.ts';
export * from './address/ipv4.ts';
export * from './address/mac.ts';
export * from './checksum/internet.ts';
export * from './checksum/crc32.ts';
export * from './trace/drop-reasons.ts';
export * from './trace/events.ts';
export * from './trace/headers.ts';
export * from './trace/dissector.ts';
export * from './trace/dissect-frame.ts';
export * from './trace/bus.ts';
export * from './contracts/node.ts';
export * from './contracts/physical.ts';
export * from './contracts/link.ts';
export * from './contracts/network.ts';
export * from './contracts/transport.ts';
export * from './contracts/routing.ts';
