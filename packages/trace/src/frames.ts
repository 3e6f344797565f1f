// Frames as every picture sees them: each frame event dissected by the registry, with the
// identity that follows one message across hops (what a router leaves unchanged) and
// whether a node relayed it (a switch or router sending what it received) or originated
// it. A frame's short body (frameBody) is the summary of its innermost layer below the
// application; the tcpdump line proper is tcpdump-line.ts's.

import { frameIdentity, type DissectedFrame, type DissectedLayer, type DissectorRegistry, type FrameEvent, type TraceEvent } from '@netlayers/core';
import { defaultDissectors, dissect } from './dissectors.ts';

export interface SeenFrame {
  readonly event: FrameEvent;
  /** Index of the event in the input. */
  readonly index: number;
  readonly d: DissectedFrame;
  /** What stays the same across hops (undefined when nothing was dissected). */
  readonly identity: string | undefined;
  /** A tx of something this node had received: a switch or router relaying it. */
  readonly relayed: boolean;
}

/** Every frame event, dissected, with identities and who relayed what. */
export function seenFrames(events: readonly TraceEvent[], registry: DissectorRegistry = defaultDissectors()): SeenFrame[] {
  const received = new Map<string, Set<string>>();
  const out: SeenFrame[] = [];
  events.forEach((event, index) => {
    if (event.kind !== 'frame') return;
    const d = dissect(event, registry);
    const identity = frameIdentity(d);
    let relayed = false;
    if (identity !== undefined) {
      let set = received.get(event.node);
      if (set === undefined) received.set(event.node, (set = new Set()));
      if (event.action === 'rx') set.add(identity);
      else if (event.action === 'tx') relayed = set.has(identity);
    }
    out.push({ event, index, d, identity, relayed });
  });
  return out;
}

/** The innermost layer below the application: what tcpdump's line is about. */
export function mainLayer(d: DissectedFrame): DissectedLayer | undefined {
  for (let i = d.layers.length - 1; i >= 0; i--) if (d.layers[i]!.role !== 'application') return d.layers[i];
  return d.layers[d.layers.length - 1];
}

/** The innermost layer that names a conversation (a transport's two ends). */
export function conversationOf(d: DissectedFrame): DissectedLayer | undefined {
  for (let i = d.layers.length - 1; i >= 0; i--) if (d.layers[i]!.conversation && d.layers[i]!.endpoints) return d.layers[i];
  return undefined;
}

/** "10.0.1.10:49152-10.0.2.10:80": a conversation's key from the sender's view. */
export function conversationKey(layer: DissectedLayer): string | undefined {
  return layer.endpoints ? `${layer.endpoints.source}-${layer.endpoints.destination}` : undefined;
}

/** A short body of a dissected frame (its innermost non-application layer's summary, problems in brackets), for the stepper and the layer walk; tcpdump lines use tcpdumpText (tcpdump-line.ts). */
export function frameBody(d: DissectedFrame, options: { linkHeaders?: boolean; brief?: boolean } = {}): string {
  const outer = d.layers[0];
  const link = options.linkHeaders && outer?.endpoints ? `${outer.endpoints.source} > ${outer.endpoints.destination}, length ${d.length}: ` : '';
  const main = mainLayer(d);
  const body = main === undefined ? `unknown, length ${d.length}` : options.brief ? (main.brief ?? main.summary) : main.summary;
  const bad = d.problems.length ? ` [${d.problems.join('; ')}]` : '';
  return `${link}${body}${bad}`;
}
