// @netlayers/trace: seeing the stack. A recorder with composable queries, the default
// dissector registry (every package's codecs), tcpdump-style lines, ladder diagrams (text,
// Mermaid, SVG), encapsulation views in any layer model, a layer walk of one message,
// pcap/pcapng captures and a stepper. Renderers are pure
// functions of recorded trace events; layers never print.

export * from './recorder.ts';
export * from './connection.ts';
export * from './dissectors.ts';
export * from './frames.ts';
export * from './tcpdump.ts';
export * from './tcpdump-line.ts';
export * from './tcpdump-capture.ts';
export * from './ladder/index.ts';
export * from './encapsulation.ts';
export * from './layer-walk.ts';
export * from './pcap.ts';
export * from './capture-reader.ts';
export * from './capture-events.ts';
export * from './stepper.ts';
export { formatSeconds, formatMilliseconds } from './format.ts';
