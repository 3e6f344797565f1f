// The ladder (sequence) diagram: build the model from events once, render it as terminal
// text, Mermaid or SVG.

import type { TraceEvent } from '@netlayers/core';
import { InvalidArgumentError } from '@netlayers/core';
import { buildLadder, type LadderOptions } from './model.ts';
import { renderLadderText, type LadderTextOptions } from './text.ts';
import { renderLadderMermaid, type LadderMermaidOptions } from './mermaid.ts';
import { renderLadderSvg, type LadderSvgOptions } from './svg.ts';

export * from './model.ts';
export * from './text.ts';
export * from './mermaid.ts';
export * from './svg.ts';

export type LadderFormat = 'text' | 'mermaid' | 'svg';

export interface RenderLadderOptions extends LadderOptions, LadderTextOptions, LadderMermaidOptions, LadderSvgOptions {
  /** Output format (default 'text'). */
  readonly format?: LadderFormat;
}

/** Build and render a ladder in one call: `ladder(recorder.events, { format: 'mermaid' })`. */
export function ladder(events: readonly TraceEvent[], options: RenderLadderOptions = {}): string {
  const model = buildLadder(events, options);
  switch (options.format ?? 'text') {
    case 'text':
      return renderLadderText(model, options);
    case 'mermaid':
      return renderLadderMermaid(model, options);
    case 'svg':
      return renderLadderSvg(model, options);
    default:
      throw new InvalidArgumentError('format', options.format, 'must be "text", "mermaid" or "svg"');
  }
}
