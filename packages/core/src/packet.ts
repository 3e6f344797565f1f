// The packet object that travels down and up a stack: one buffer with headroom in front
// (and tailroom behind, for a trailer such as the Ethernet FCS), like a socket buffer.
// Going down, each layer `prepend`s its header into the headroom; going up, each layer
// `pull`s its header off the front. The payload is never copied between layers.
// Packet buffers are carved from shared 64 KiB slabs (as Node's Buffer pool and the kernel's
// page-fragment allocator do): a fresh ArrayBuffer costs microseconds, a view of a slab a
// tenth of that. A carved region is never handed out twice, so it starts zeroed. Copies a
// layer keeps for long (out-of-order TCP data, UDP datagrams) come from separate 16 KiB
// slabs: such a copy pins at most 16 KiB, and never the memory of packets long gone.
//
// Frame ownership. Whoever builds a packet owns its bytes until it hands the packet or its
// frame to the layer or port below (PhyPort.transmit: the sender gives up the buffer); from
// then on the bytes are read-only for everyone, but for a forwarding node (switch, router)
// that rewrites headers in place before passing the frame on. Nothing reuses or rewrites
// them later: the allocator never hands a region out twice and no layer recycles a frame.
// So a receiver may keep views of a frame for as long as it likes: TCP hands the
// application its in-order data as views of the frames it arrived in (zero-copy receive).
// An application must not write into received data (copy it, e.g. with copyBytes, to
// modify it), and a kept view pins the frame's whole 64 KiB slab while it is referenced.

export const DEFAULT_HEADROOM = 128;
export const DEFAULT_TAILROOM = 8;

/** A bump allocator over fresh ArrayBuffers; requests above `maxCarved` get their own. */
class Slabs {
  private slab: ArrayBuffer;
  private used = 0;

  constructor(
    private readonly slabBytes: number,
    private readonly maxCarved: number,
  ) {
    this.slab = new ArrayBuffer(slabBytes);
  }

  alloc(length: number): Uint8Array {
    if (length > this.maxCarved) return new Uint8Array(length);
    const rounded = (length + 7) & ~7;
    if (this.used + rounded > this.slabBytes) {
      this.slab = new ArrayBuffer(this.slabBytes);
      this.used = 0;
    }
    const bytes = new Uint8Array(this.slab, this.used, length);
    this.used += rounded;
    return bytes;
  }
}

const packetSlabs = new Slabs(64 * 1024, 16 * 1024);
const keptSlabs = new Slabs(16 * 1024, 4 * 1024);

/**
 * `length` zero bytes for a packet or another short-lived buffer. Small arrays are views of
 * a shared slab (`byteOffset` is not 0 and `buffer` is larger than the array: use
 * `byteOffset`/`byteLength` with `buffer`).
 */
export function allocBytes(length: number): Uint8Array {
  return packetSlabs.alloc(length);
}

/** An independent copy of `bytes` (like `slice()`), for data kept long or written to. */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const copy = keptSlabs.alloc(bytes.length);
  copy.set(bytes);
  return copy;
}

export class Packet {
  private buffer: Uint8Array;
  private head: number;
  private tail: number;
  /** The view `bytes` last returned, while head and tail have not moved (one subarray, not one per call). */
  private view: Uint8Array | null;

  private constructor(buffer: Uint8Array, head: number, tail: number) {
    this.buffer = buffer;
    this.head = head;
    this.tail = tail;
    this.view = null;
  }

  /** A packet holding a copy of `payload`, with room for headers in front. */
  static from(payload: Uint8Array | string, headroom = DEFAULT_HEADROOM, tailroom = DEFAULT_TAILROOM): Packet {
    const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
    const buffer = allocBytes(headroom + bytes.length + tailroom);
    buffer.set(bytes, headroom);
    return new Packet(buffer, headroom, headroom + bytes.length);
  }

  /** A packet of `length` zero bytes (fill it through `bytes`), with headroom. */
  static alloc(length: number, headroom = DEFAULT_HEADROOM, tailroom = DEFAULT_TAILROOM): Packet {
    return new Packet(allocBytes(headroom + length + tailroom), headroom, headroom + length);
  }

  /** Wrap received bytes without copying (no headroom): for the receive path. */
  static wrap(bytes: Uint8Array): Packet {
    return new Packet(bytes, 0, bytes.length);
  }

  /** Bytes currently in the packet. */
  get length(): number {
    return this.tail - this.head;
  }

  /** A view of the packet's bytes (no copy; valid until the next prepend/append). */
  get bytes(): Uint8Array {
    return (this.view ??= this.buffer.subarray(this.head, this.tail));
  }

  get headroom(): number {
    return this.head;
  }

  /**
   * The whole buffer behind the packet: its bytes are `storage[headroom .. headroom + length)`.
   * For writing headers in place by offset (see `prependAt`) without making a view per header.
   * Valid until the next `prepend`/`prependAt`/`append` that has to grow the buffer.
   */
  get storage(): Uint8Array {
    return this.buffer;
  }

  /** Make room for an `n`-byte header in front, like `prepend`, and return its offset in `storage`. */
  prependAt(n: number): number {
    if (n > this.head) this.grow(n - this.head + DEFAULT_HEADROOM, 0);
    this.head -= n;
    this.view = null;
    return this.head;
  }

  /** Make room for an `n`-byte header in front and return a view of it to write into. */
  prepend(n: number): Uint8Array {
    if (n > this.head) this.grow(n - this.head + DEFAULT_HEADROOM, 0);
    this.head -= n;
    this.view = null;
    return this.buffer.subarray(this.head, this.head + n);
  }

  /** Add `n` bytes at the end, like `append`, and return their offset in `storage`. */
  appendAt(n: number): number {
    if (this.tail + n > this.buffer.length) this.grow(0, n + DEFAULT_TAILROOM);
    const at = this.tail;
    this.tail += n;
    this.view = null;
    return at;
  }

  /** Add `n` bytes at the end (a trailer) and return a view of them. */
  append(n: number): Uint8Array {
    if (this.tail + n > this.buffer.length) this.grow(0, n + DEFAULT_TAILROOM);
    const view = this.buffer.subarray(this.tail, this.tail + n);
    this.tail += n;
    this.view = null;
    return view;
  }

  /** Remove `n` bytes from the front (a parsed header). `n` is clamped to the length. */
  pull(n: number): Uint8Array {
    const take = Math.min(n, this.length);
    const view = this.buffer.subarray(this.head, this.head + take);
    this.head += take;
    this.view = null;
    return view;
  }

  /** Keep only the first `length` bytes (drop padding or a trailer). */
  truncate(length: number): void {
    if (length < this.length) {
      this.tail = this.head + Math.max(0, length);
      this.view = null;
    }
  }

  /** An independent deep copy with the same headroom. */
  clone(): Packet {
    const copy = allocBytes(this.buffer.length);
    copy.set(this.buffer);
    return new Packet(copy, this.head, this.tail);
  }

  /** A copy of the bytes (for storage beyond the packet's life, e.g. a capture). */
  toBytes(): Uint8Array {
    return this.buffer.slice(this.head, this.tail);
  }

  private grow(front: number, back: number): void {
    const next = allocBytes(this.buffer.length + front + back);
    next.set(this.buffer.subarray(this.head, this.tail), this.head + front);
    this.buffer = next;
    this.head += front;
    this.tail += front;
    this.view = null;
  }
}
