// One tcpdump 4.99 `-nn` line from a dissected frame: each layer's own `line` text, from the
// innermost out, each given the text of the layers inside it (the way tcpdump's printers
// call one another: ether_print -> ip_print -> tcp_print -> http_print). Nothing here knows
// a protocol by name. A layer without a `line` passes the inner text through, or gives its
// summary when nothing inside printed (an application layer tcpdump would not decode prints
// nothing: its transport says "UDP, length N"). Problems the dissectors found are not part
// of tcpdump's text; other views show them.

import type { DissectedFrame, DissectorRegistry, LayerDissection, LineContext, LineOptions } from '@netlayers/core';
import { defaultDissectors } from './dissectors.ts';

/** State kept across the lines of one capture or run (TCP's initial sequence numbers, ...). */
export interface LineState {
  readonly options: LineOptions;
  readonly state: Map<string, unknown>;
}

/** A fresh line state: start one per capture (or per run), as tcpdump starts per file. */
export function createLineState(options: LineOptions = {}): LineState {
  return { options, state: new Map() };
}

/**
 * The tcpdump text of one dissected frame (without the time stamp). `registry` decodes what
 * a layer asks to print besides its own bytes (an ICMP error's quoted datagram under -v).
 */
export function tcpdumpText(frame: DissectedFrame, lineState: LineState = createLineState(), registry: DissectorRegistry = defaultDissectors()): string {
  const nested = (bytes: Uint8Array, table: string, key: number | string): string | undefined => {
    const inner = registry.dissectFrom(bytes, { table, keys: [key] });
    return inner.layers.length === 0 ? undefined : tcpdumpText(inner, lineState, registry);
  };
  let inner: string | undefined;
  let innerLayer: LayerDissection | undefined;
  for (let i = frame.layers.length - 1; i >= 0; i--) {
    const layer = frame.layers[i]!;
    if (layer.line !== undefined) {
      const context: LineContext = {
        options: lineState.options,
        state: lineState.state,
        nested,
        ...(inner !== undefined ? { inner } : {}),
        ...(innerLayer !== undefined ? { innerLayer } : {}),
      };
      inner = layer.line(context);
    } else if (inner === undefined && layer.role !== 'application') {
      inner = layer.summary;
    }
    innerLayer = layer;
  }
  return inner ?? `unknown, length ${frame.length}`;
}
