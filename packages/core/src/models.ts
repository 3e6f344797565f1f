// The layer models: ways of naming and grouping the same five roles.
// - tcpip-5, TCP/IP five-layer (application, transport, network, link, physical): the
//   textbook teaching model, every role a layer of its own.
// - tcpip-4, TCP/IP four-layer per RFC 1122 §1.1.3 (application, transport, internet,
//   link): "link" is network access, the link and physical roles as one layer, because
//   the Internet architecture says nothing about what is below IP.
// - tcpip-4-lower, the other four-layer grouping the study note lists (transport, network,
//   link, physical): the four layers of the network itself; the application is the user's
//   process above them, not a layer of the stack.
// - osi-7, OSI's seven, for reference: presentation and session have no role of their own
//   (TCP/IP applications do that work).

import type { Role } from './trace/events.ts';

export type ModelId = 'tcpip-5' | 'tcpip-4' | 'tcpip-4-lower' | 'osi-7';

export interface ModelLayer {
  /** The layer's name in this model. */
  readonly name: string;
  /** Its number in the model, counted from the bottom (physical = 1). */
  readonly number: number;
  /** The roles (five-layer names) this layer covers. */
  readonly roles: readonly Role[];
  /** What a PDU at this layer is called. */
  readonly pduName: string;
  /** The roles sit above the stack in this model (tcpip-4-lower's application process): no layer number. */
  readonly aboveStack?: boolean;
}

export interface LayerModel {
  readonly id: ModelId;
  readonly title: string;
  /** What this grouping means, in a sentence or two. */
  readonly note: string;
  /** Top (application) first. */
  readonly layers: readonly ModelLayer[];
}

export const TCPIP_FIVE_LAYER: LayerModel = {
  id: 'tcpip-5',
  title: 'TCP/IP five-layer model',
  note: 'The teaching model: every role is a layer of its own, physical (bits on the medium) below link (frames between neighbours).',
  layers: [
    { name: 'Application', number: 5, roles: ['application'], pduName: 'message' },
    { name: 'Transport', number: 4, roles: ['transport'], pduName: 'segment / datagram' },
    { name: 'Network', number: 3, roles: ['network'], pduName: 'packet' },
    { name: 'Link', number: 2, roles: ['link', 'network-access'], pduName: 'frame' },
    { name: 'Physical', number: 1, roles: ['physical'], pduName: 'bits' },
  ],
};

export const TCPIP_FOUR_LAYER: LayerModel = {
  id: 'tcpip-4',
  title: 'TCP/IP four-layer model (RFC 1122)',
  note: 'RFC 1122 §1.1.3: application, transport, internet and link, where link is network access: link and physical as one layer, since IP makes no assumption about what is below it.',
  layers: [
    { name: 'Application', number: 4, roles: ['application'], pduName: 'message' },
    { name: 'Transport', number: 3, roles: ['transport'], pduName: 'segment / datagram' },
    { name: 'Internet', number: 2, roles: ['network'], pduName: 'packet' },
    { name: 'Link (network access)', number: 1, roles: ['link', 'physical', 'network-access'], pduName: 'frame' },
  ],
};

export const TCPIP_FOUR_LOWER_LAYER: LayerModel = {
  id: 'tcpip-4-lower',
  title: 'TCP/IP four-layer model (transport, network, link, physical)',
  note: "The four layers of the network itself, as the study note's second grouping lists them: the application is the user's process above the stack, served by the transport layer, not a layer of it.",
  layers: [
    { name: 'Application process', number: 0, roles: ['application'], pduName: 'message', aboveStack: true },
    { name: 'Transport', number: 4, roles: ['transport'], pduName: 'segment / datagram' },
    { name: 'Network', number: 3, roles: ['network'], pduName: 'packet' },
    { name: 'Link', number: 2, roles: ['link', 'network-access'], pduName: 'frame' },
    { name: 'Physical', number: 1, roles: ['physical'], pduName: 'bits' },
  ],
};

export const OSI_SEVEN_LAYER: LayerModel = {
  id: 'osi-7',
  title: 'OSI seven-layer reference model',
  note: 'For reference: OSI session (5) and presentation (6) have no layer of their own in TCP/IP; applications do that work.',
  layers: [
    { name: 'Application', number: 7, roles: ['application'], pduName: 'data' },
    { name: 'Presentation', number: 6, roles: [], pduName: 'data' },
    { name: 'Session', number: 5, roles: [], pduName: 'data' },
    { name: 'Transport', number: 4, roles: ['transport'], pduName: 'segment' },
    { name: 'Network', number: 3, roles: ['network'], pduName: 'packet' },
    { name: 'Data link', number: 2, roles: ['link', 'network-access'], pduName: 'frame' },
    { name: 'Physical', number: 1, roles: ['physical', 'network-access'], pduName: 'bits' },
  ],
};

export const LAYER_MODELS: Readonly<Record<ModelId, LayerModel>> = {
  'tcpip-5': TCPIP_FIVE_LAYER,
  'tcpip-4': TCPIP_FOUR_LAYER,
  'tcpip-4-lower': TCPIP_FOUR_LOWER_LAYER,
  'osi-7': OSI_SEVEN_LAYER,
};

/** Where OSI's session and presentation concerns live in TCP/IP: inside the application. */
export const OSI_UPPER_LAYERS_NOTE =
  'OSI session (5) and presentation (6) have no layer of their own in TCP/IP: applications do that work themselves (HTTP keeps its own connection state; TLS, encodings and compression live in the application).';

export function getModel(id: ModelId | string): LayerModel {
  const model = (LAYER_MODELS as Record<string, LayerModel | undefined>)[id];
  if (model === undefined) throw new RangeError(`unknown layer model "${id}" (use tcpip-5, tcpip-4, tcpip-4-lower or osi-7)`);
  return model;
}

/** The layer of `model` that a role belongs to (the first match from the top for OSI's mapping). */
export function layerForRole(model: LayerModel, role: Role): ModelLayer {
  const found = model.layers.find((l) => l.roles.includes(role));
  if (found === undefined) throw new RangeError(`role ${role} has no layer in ${model.id}`);
  return found;
}

/** "4 Transport"; "(Application process)" for a layer above the stack. */
export function layerLabel(layer: ModelLayer): string {
  return layer.aboveStack ? `(${layer.name})` : `${layer.number} ${layer.name}`;
}

/** The model for an id or the model itself (renderers take either). */
export function resolveModel(model: ModelId | LayerModel | undefined): LayerModel {
  return typeof model === 'object' ? model : getModel(model ?? 'tcpip-5');
}

/** One component of a node's stack, as a node describes itself. */
export interface StackComponent {
  readonly role: Role;
  /** Implementation name: "TCP (RFC 9293)", "Ethernet II + ARP". */
  readonly implementation: string;
}

export interface StackLayerDescription {
  readonly layer: ModelLayer;
  readonly components: readonly StackComponent[];
}

/**
 * Describe a node's stack (its components by role, top first) in `model`: each model layer
 * with the components that fill it. OSI's presentation and session come out empty, which
 * is the honest answer for TCP/IP.
 */
export function describeStack(components: readonly StackComponent[], model: LayerModel): StackLayerDescription[] {
  return model.layers.map((layer) => ({
    layer,
    components: components.filter((c) => {
      // In OSI, network-access spans data link and physical; list it under data link only.
      if (c.role === 'network-access' && model.id === 'osi-7') return layer.number === 2;
      return layer.roles.includes(c.role);
    }),
  }));
}
