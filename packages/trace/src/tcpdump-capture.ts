// tcpdump -nn -r for a capture file read by readCapture: one line per packet, time stamp
// first as tcpdump prints it (HH:MM:SS.ffffff of the day in UTC, tcpdump's default for -r
// with TZ=UTC; or seconds since the epoch, as -tt), then the text of the shared line printer
// (tcpdump-line.ts), with TCP sequence numbers relative per connection across the file
// unless absoluteSequence (tcpdump -S). An Ethernet FCS kept in a pcapng file is read as
// tcpdump reads it: as bytes after the packet. Never throws on packet bytes.

import type { DissectorRegistry } from '@netlayers/core';
import type { CaptureFile, CaptureInterface } from './capture-reader.ts';
import { defaultDissectors } from './dissectors.ts';
import { createLineState, tcpdumpText } from './tcpdump-line.ts';

/** Options of tcpdumpLinesFromCapture, named after tcpdump's flags. */
export interface CaptureLineOptions {
  /** tcpdump -S: absolute TCP sequence numbers. */
  readonly absoluteSequence?: boolean;
  /** tcpdump -v. */
  readonly verbose?: boolean;
  /** 'clock' (default): "17:37:42.647485" in UTC, as tcpdump -r prints with TZ=UTC; 'seconds': "1733420262.647485", as tcpdump -tt. */
  readonly timeFormat?: 'clock' | 'seconds';
  /** The registry that decodes the frames (default: defaultDissectors()). */
  readonly dissectors?: DissectorRegistry;
}

/** LINKTYPE_ values netlayers dissects, and the link type name its registry uses. */
const LINK_TYPES: Record<number, string> = { 1: 'ethernet', 9: 'ppp' };

/** The registry's link type ('ethernet', 'ethernet-nofcs', 'ppp') of a capture interface; undefined when netlayers has none. */
export function captureLinkType(iface: CaptureInterface): string | undefined {
  const name = LINK_TYPES[iface.linkType];
  if (name === 'ethernet') return iface.fcsLength === 4 ? 'ethernet' : 'ethernet-nofcs';
  return name;
}

/** "17:37:42.647485": time of day in UTC with microseconds (tcpdump truncates nanoseconds). */
export function formatClock(timestampNs: bigint): string {
  const micros = timestampNs / 1000n;
  const day = 86_400_000_000n;
  const inDay = ((micros % day) + day) % day;
  const h = inDay / 3_600_000_000n;
  const m = (inDay / 60_000_000n) % 60n;
  const s = (inDay / 1_000_000n) % 60n;
  const us = inDay % 1_000_000n;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(us).padStart(6, '0')}`;
}

/** "1733420262.647485": seconds since the epoch with microseconds (tcpdump -tt). */
export function formatEpochSeconds(timestampNs: bigint): string {
  const micros = timestampNs / 1000n;
  return `${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;
}

/**
 * The lines `tcpdump -nn -r` prints for a capture (one string per packet; -v output spans
 * several lines within one string, joined by "\n", as tcpdump prints it).
 */
export function tcpdumpLinesFromCapture(capture: CaptureFile, options: CaptureLineOptions = {}): string[] {
  const registry = options.dissectors ?? defaultDissectors();
  const state = createLineState({ absoluteSequence: options.absoluteSequence ?? false, verbose: options.verbose ?? false });
  const time = options.timeFormat === 'seconds' ? formatEpochSeconds : formatClock;
  const lines: string[] = [];
  for (const packet of capture.packets) {
    const iface = capture.interfaces[packet.interfaceId];
    const linkType = iface === undefined ? undefined : captureLinkType(iface);
    let text: string;
    if (linkType === undefined) {
      text = `[|link type ${iface?.linkType ?? 'unknown'}], length ${packet.originalLength}`;
    } else {
      // tcpdump (libpcap) does not read pcapng's if_fcslen: an FCS kept in the file is just more
      // bytes after the packet, counted in ARP's length and shown in a hex dump. So is it here.
      const printAs = linkType === 'ethernet' ? 'ethernet-nofcs' : linkType;
      text = tcpdumpText(registry.dissect(packet.data, printAs), state, registry);
    }
    lines.push(`${time(packet.timestampNs)} ${text}`);
  }
  return lines;
}
