import { describe, it, expect } from 'vitest';
import { Packet } from '../src/index.ts';

describe('Packet', () => {
  it('prepends headers into headroom without moving the payload', () => {
    const p = Packet.from(new Uint8Array([9, 9, 9]), 8);
    const payloadView = p.bytes;
    p.prepend(2).set([1, 2]);
    p.prepend(3).set([3, 4, 5]);
    expect([...p.bytes]).toEqual([3, 4, 5, 1, 2, 9, 9, 9]);
    expect(p.bytes.buffer).toBe(payloadView.buffer);
  });

  it('grows when headroom runs out, keeping the contents', () => {
    const p = Packet.from(new Uint8Array([7]), 1);
    p.prepend(4).set([1, 2, 3, 4]);
    expect([...p.bytes]).toEqual([1, 2, 3, 4, 7]);
  });

  it('pulls headers off the front and truncates padding', () => {
    const p = Packet.wrap(new Uint8Array([1, 2, 3, 4, 5, 0, 0]));
    expect([...p.pull(2)]).toEqual([1, 2]);
    p.truncate(3);
    expect([...p.bytes]).toEqual([3, 4, 5]);
    expect(p.pull(10).length).toBe(3);
    expect(p.length).toBe(0);
  });

  it('appends trailers and clones deeply', () => {
    const p = Packet.from('ab');
    p.append(2).set([0xfe, 0xff]);
    const c = p.clone();
    c.bytes[0] = 0;
    expect([...p.bytes]).toEqual([97, 98, 0xfe, 0xff]);
    expect(c.toBytes()[0]).toBe(0);
  });

  it('prependAt and appendAt write in place through storage, and grow like prepend and append', () => {
    const p = Packet.from(Uint8Array.of(1, 2, 3), 4, 2);
    const h = p.prependAt(2);
    p.storage[h] = 0xaa;
    p.storage[h + 1] = 0xbb;
    const t = p.appendAt(2);
    p.storage[t] = 0xcc;
    p.storage[t + 1] = 0xdd;
    expect([...p.bytes]).toEqual([0xaa, 0xbb, 1, 2, 3, 0xcc, 0xdd]);
    expect(p.headroom).toBe(h);
    // Beyond the headroom and tailroom left: the buffer grows, offsets refer to the new storage.
    const h2 = p.prependAt(5);
    p.storage.fill(9, h2, h2 + 5);
    const t2 = p.appendAt(3);
    p.storage.fill(8, t2, t2 + 3);
    expect([...p.bytes]).toEqual([9, 9, 9, 9, 9, 0xaa, 0xbb, 1, 2, 3, 0xcc, 0xdd, 8, 8, 8]);
    expect(p.length).toBe(15);
  });
});
