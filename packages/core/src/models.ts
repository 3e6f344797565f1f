// The layer models: ways of naming and grouping the same five roles. TCP/IP five-layer
// (application, transport, network, link, physical); TCP/IP four-layer per RFC 1122
// (application, transport, internet, link — where "link" is network access: the link and
// physical roles as one layer); and OSI's seven, for reference.

import type { Role } from './trace/events.ts';

export type ModelId = 'tcpip-5' | 'tcpip-4' | 'osi-7';

export interface ModelLayer {
  /** The layer's name in this model. */
  readonly name: string;
  /** Its number in the model, counted from the bottom (physical = 1). */
  readonly number: number;
  /** The roles (five-layer names) this layer covers. */
  readonly roles: readonly Role[];
  /** What a PDU at this layer is called. */
  readonly pduName: string;
}

export interface LayerModel {
  readonly id: ModelId;
  readonly title: string;
  /** Top (application) first. */
  readonly layers: readonly ModelLayer[];
}

export const TCPIP_FIVE_LAYER: LayerModel = {
  id: 'tcpip-5',
  title: 'TCP/IP five-layer model',
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
  layers: [
    { name: 'Application', number: 4, roles: ['application'], pduName: 'message' },
    { name: 'Transport', number: 3, roles: ['transport'], pduName: 'segment / datagram' },
    { name: 'Internet', number: 2, roles: ['network'], pduName: 'packet' },
    { name: 'Link (network access)', number: 1, roles: ['link', 'physical', 'network-access'], pduName: 'frame' },
  ],
};

export const OSI_SEVEN_LAYER: LayerModel = {
  id: 'osi-7',
  title: 'OSI seven-layer reference model',
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
  'osi-7': OSI_SEVEN_LAYER,
};

/** Where OSI's session and presentation concerns live in TCP/IP: inside the application. */
export const OSI_UPPER_LAYERS_NOTE =
  'OSI session (5) and presentation (6) have no layer of their own in TCP/IP: applications do that work themselves (HTTP keeps its own connection state; TLS, encodings and compression live in the application).';

export function getModel(id: ModelId | string): LayerModel {
  const model = (LAYER_MODELS as Record<string, LayerModel | undefined>)[id];
  if (model === undefined) throw new RangeError(`unknown layer model "${id}" (use tcpip-5, tcpip-4 or osi-7)`);
  return model;
}

/** The layer of `model` that a role belongs to (the first match from the top for OSI's mapping). */
export function layerForRole(model: LayerModel, role: Role): ModelLayer {
  const found = model.layers.find((l) => l.roles.includes(role));
  if (found === undefined) throw new RangeError(`role ${role} has no layer in ${model.id}`);
  return found;
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
