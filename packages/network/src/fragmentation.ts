// Fragmentation (RFC 791 §2.3 "Fragmentation", §3.2 "An Example Fragmentation Procedure"):
// split a datagram's data on 8-byte boundaries so each fragment fits the MTU. The first
// fragment carries every option; later fragments carry only the options whose copied flag
// is set. Re-fragmenting a fragment keeps its offset base and, on the last piece, its MF.

import { ipv4HeaderLengthFor, isCopiedOption, type Ipv4Header } from './ipv4-wire.ts';

export interface Fragment {
  readonly header: Ipv4Header;
  /** This fragment's data: a view into the original payload. */
  readonly payload: Uint8Array;
}

/**
 * The fragments of `header` + `payload` for a link of `mtu` bytes, in offset order; null
 * when the MTU cannot carry even 8 data bytes after the header. A datagram that already
 * fits comes back as a single fragment (unchanged header).
 */
export function fragmentDatagram(header: Ipv4Header, payload: Uint8Array, mtu: number): Fragment[] | null {
  if (header.headerLength + payload.length <= mtu) return [{ header, payload }];
  const firstOptions = header.options;
  const laterOptions = firstOptions.filter((option) => isCopiedOption(option.type));
  const firstHeaderLength = ipv4HeaderLengthFor(firstOptions);
  const laterHeaderLength = ipv4HeaderLengthFor(laterOptions);
  const fragments: Fragment[] = [];
  let position = 0;
  while (position < payload.length) {
    const first = position === 0;
    const headerLength = first ? firstHeaderLength : laterHeaderLength;
    const remaining = payload.length - position;
    const isLast = remaining <= mtu - headerLength;
    const size = isLast ? remaining : Math.floor((mtu - headerLength) / 8) * 8;
    if (size <= 0) return null;
    fragments.push({
      header: {
        ...header,
        headerLength,
        options: first ? firstOptions : laterOptions,
        totalLength: headerLength + size,
        fragmentOffset: header.fragmentOffset + position,
        moreFragments: isLast ? header.moreFragments : true,
        checksum: 0,
      },
      payload: payload.subarray(position, position + size),
    });
    position += size;
  }
  return fragments;
}
