// The out-of-order queue and SACK block generation (RFC 2018 §4).
import { describe, expect, it } from 'vitest';
import { ReceiveBuffer } from '../../src/tcp/receive-buffer.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (chunks: Uint8Array[]) => chunks.map((c) => new TextDecoder().decode(c)).join('');

describe('ReceiveBuffer', () => {
  it('reassembles overlapping out-of-order segments exactly once', () => {
    const r = new ReceiveBuffer();
    r.addOutOfOrder(105, bytes('fghij'), false);
    r.addOutOfOrder(103, bytes('defgh'), false);
    r.addOutOfOrder(110, bytes('klm'), false);
    expect(r.outOfOrderBytes).toBe(10);
    const nothing = r.takeContiguous(100);
    expect(nothing.chunks).toEqual([]);
    r.addOutOfOrder(100, bytes('abcd'), false); // overlaps 'd'
    const { chunks, next, fin } = r.takeContiguous(100);
    expect(text(chunks)).toBe('abcdefghijklm');
    expect(next).toBe(113);
    expect(fin).toBe(false);
  });

  it('holds a FIN until the bytes before it arrive', () => {
    const r = new ReceiveBuffer();
    r.addOutOfOrder(5, bytes('xyz'), true);
    expect(r.takeContiguous(0).fin).toBe(false);
    r.addOutOfOrder(0, bytes('vw'), false);
    expect(r.takeContiguous(2).fin).toBe(false);
    r.addOutOfOrder(2, bytes('abc'), false);
    const { chunks, next, fin } = r.takeContiguous(2);
    expect(text(chunks)).toBe('abcxyz');
    expect(next).toBe(8);
    expect(fin).toBe(true);
    expect(r.hasOutOfOrder).toBe(false);
  });

  it('reports SACK blocks, the most recently received first', () => {
    const r = new ReceiveBuffer();
    r.addOutOfOrder(200, bytes('aaaa'), false);
    r.addOutOfOrder(300, bytes('bbbb'), false);
    r.addOutOfOrder(400, bytes('cccc'), false);
    expect(r.sackBlocks(4)).toEqual([[400, 404], [300, 304], [200, 204]]);
    r.addOutOfOrder(204, bytes('dd'), false);
    expect(r.sackBlocks(4)).toEqual([[200, 206], [400, 404], [300, 304]]);
    expect(r.sackBlocks(2)).toEqual([[200, 206], [400, 404]]);
    r.takeContiguous(200);
    expect(r.sackBlocks(4)).toEqual([[400, 404], [300, 304]]);
  });

  it('works across the 2^32 wrap', () => {
    const r = new ReceiveBuffer();
    r.addOutOfOrder(2, bytes('cd'), false);
    r.addOutOfOrder(0xfffffffe, bytes('ab'), false);
    expect(r.sackBlocks(3)).toEqual([[0xfffffffe, 0], [2, 4]]);
    const { chunks, next } = r.takeContiguous(0xfffffffe);
    expect(text(chunks)).toBe('ab');
    expect(next).toBe(0);
  });
});
