// The default dissector registry the renderers use: every protocol package registers its
// own codecs (Ethernet II, ARP; IPv4, ICMP; TCP, UDP; DNS, DHCP, HTTP; stop-and-wait,
// go-back-N, PPP, RIP). A protocol written elsewhere appears in every picture once its
// dissector is registered here (`defaultDissectors().register('ip.proto', 200, mine)`) or
// in a registry passed to a renderer as `dissectors`. Frames are dissected once per
// registry version and cached by their bytes.

import { DissectorRegistry, type DissectedFrame, type FrameEvent } from '@netlayers/core';
import { registerDissectors as registerLink } from '@netlayers/link';
import { registerDissectors as registerNetwork } from '@netlayers/network';
import { registerDissectors as registerTransport } from '@netlayers/transport';
import { registerDissectors as registerApplication } from '@netlayers/application';
import { registerDissectors as registerSwaps } from '@netlayers/swaps';

/** A new registry holding every codec of the netlayers packages. */
export function createDefaultDissectors(): DissectorRegistry {
  const registry = new DissectorRegistry();
  registerLink(registry);
  registerNetwork(registry);
  registerTransport(registry);
  registerApplication(registry);
  registerSwaps(registry);
  return registry;
}

let shared: DissectorRegistry | undefined;

/** The registry renderers use when none is given; register into it to be seen everywhere. */
export function defaultDissectors(): DissectorRegistry {
  shared ??= createDefaultDissectors();
  return shared;
}

/** Options every renderer that reads frames takes. */
export interface DissectorOptions {
  /** The registry that decodes frames (default: defaultDissectors()). */
  readonly dissectors?: DissectorRegistry;
}

const caches = new WeakMap<DissectorRegistry, { version: number; frames: WeakMap<Uint8Array, DissectedFrame> }>();

/** Dissect frame bytes (or a frame event, by its link type) with `registry`, once per bytes. */
export function dissect(frame: Uint8Array | FrameEvent, registry: DissectorRegistry = defaultDissectors()): DissectedFrame {
  const bytes = frame instanceof Uint8Array ? frame : frame.bytes;
  const linkType = frame instanceof Uint8Array ? 'ethernet' : (frame.linkType ?? 'ethernet');
  let cache = caches.get(registry);
  if (cache === undefined || cache.version !== registry.version) {
    cache = { version: registry.version, frames: new WeakMap() };
    caches.set(registry, cache);
  }
  const hit = cache.frames.get(bytes);
  if (hit !== undefined && hit.linkType === linkType) return hit;
  const d = registry.dissect(bytes, linkType);
  cache.frames.set(bytes, d);
  return d;
}
