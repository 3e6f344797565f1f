// @netlayers/trace: seeing the stack. A recorder with composable queries, tcpdump-style
// lines, ladder diagrams (text, Mermaid, SVG), encapsulation views in any layer model, a
// layer walk of one message, pcap/pcapng captures and a stepper. Renderers are pure
// functions of recorded trace events; layers never print.

export * from './recorder.ts';
export * from './connection.ts';
export * from './dissect.ts';
export { formatTcpOptions, icmpTypeName, TCP_FLAG_NAMES } from './dissect-transport.ts';
export * from './tcp-fields.ts';
export * from './tcpdump.ts';
export * from './ladder/index.ts';
export * from './encapsulation.ts';
export * from './layer-walk.ts';
export * from './pcap.ts';
export * from './capture-reader.ts';
export * from './stepper.ts';
export { formatSeconds, formatMilliseconds } from './format.ts';
