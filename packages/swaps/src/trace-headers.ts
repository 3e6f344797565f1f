// The swaps' typed trace payloads, added to core's PduHeaderMap by module augmentation
// exactly as a student's package would: the stop-and-wait / go-back-N segment header (our
// own 16-byte format, see transport/wire.ts), the PPP header (RFC 1661 §2, RFC 1662 §3)
// and a RIP message (RFC 2453 §4).

/** Flags of the ARQ segment, as the swap spells them. */
export type ArqFlagName = 'SYN' | 'ACK' | 'FIN' | 'RST';

export interface ArqHeaderInfo {
  readonly protocol: 'arq';
  /** Which swap: 'stop-and-wait' or 'go-back-n'. */
  readonly variant: string;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: readonly ArqFlagName[];
  readonly payloadLength: number;
}

export interface PppHeaderInfo {
  readonly protocol: 'ppp';
  readonly address: number;
  readonly control: number;
  /** The PPP Protocol field (0x0021 IPv4). */
  readonly pppProtocol: number;
  readonly protocolName: string;
  readonly informationLength: number;
}

export interface RipHeaderInfo {
  readonly protocol: 'rip';
  readonly command: 'request' | 'response';
  readonly version: number;
  readonly entries: number;
}

declare module '@netlayers/core' {
  interface PduHeaderMap {
    arq: ArqHeaderInfo;
    ppp: PppHeaderInfo;
    rip: RipHeaderInfo;
  }
}
