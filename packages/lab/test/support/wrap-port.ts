// A PhyPort that passes everything through to `port` except what the test overrides: which
// frames it transmits, and a look at every frame it hands up. For tests that watch or drop
// frames at one interface without writing a whole port.

import type { PhyPort } from '@netlayers/core';

export function wrapPort(port: PhyPort, hooks: { transmit?: (frame: Uint8Array) => boolean; received?: (frame: Uint8Array) => void }): PhyPort {
  const { transmit, received } = hooks;
  return {
    get name() {
      return port.name;
    },
    get capabilities() {
      return port.capabilities;
    },
    get isUp() {
      return port.isUp;
    },
    get stats() {
      return port.stats;
    },
    transmit: transmit ?? ((frame) => port.transmit(frame)),
    setReceiver: (receiver) =>
      port.setReceiver(
        receiver === null || received === undefined
          ? receiver
          : (frame) => {
              received(frame);
              receiver(frame);
            },
      ),
    onLinkChange: (listener) => port.onLinkChange(listener),
  };
}
