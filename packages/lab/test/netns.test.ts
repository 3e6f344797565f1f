// The namespace helper of @netlayers/lab/node (NetNamespace): two namespaces joined by a veth
// ping each other, a link moved in keeps its address, removal cleans up. Needs root: the
// kernel part is skipped elsewhere, except in CI (CI=true), where it must run.

import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@netlayers/core';
import { NetNamespace, sh, shQuiet } from '../src/node.ts';

const capable = process.platform === 'linux' && process.getuid?.() === 0;

describe('NetNamespace', () => {
  it('refuses a name ip(8) would misread, with a typed error', () => {
    expect(() => NetNamespace.create('')).toThrow(InvalidArgumentError);
    expect(() => NetNamespace.create('a/b')).toThrow(InvalidArgumentError);
    expect(() => NetNamespace.create('-x y')).toThrow(InvalidArgumentError);
  });

  it.skipIf(!capable && !process.env.CI)('joins two namespaces with a veth, moves a link in, and removes both', () => {
    const a = NetNamespace.create(`nlnsa${process.pid}`);
    const b = NetNamespace.create(`nlnsb${process.pid}`);
    const spare = `nlnsv${process.pid % 100000}`;
    try {
      expect(a.exec('ip', '-o', 'link', 'show', 'lo')).toContain('UP');
      a.addVeth('va', '10.217.0.1/24', 'vb', b, '10.217.0.2/24');
      expect(a.exec('ping', '-c', '1', '-W', '2', '10.217.0.2')).toContain('1 received');
      // A link made in the caller's namespace (one end of a veth), then moved into b with an address.
      sh('ip', 'link', 'add', spare, 'type', 'veth', 'peer', 'name', `${spare}p`);
      b.adoptLink(spare, '10.218.0.1/24');
      expect(b.exec('ip', '-o', 'addr', 'show', 'dev', spare)).toContain('10.218.0.1/24');
      expect(shQuiet('ip', 'link', 'show', spare)).toBe(false); // gone from ours
    } finally {
      shQuiet('ip', 'link', 'del', `${spare}p`);
      expect(a.remove()).toBe(true);
      expect(b.remove()).toBe(true);
    }
    expect(a.remove()).toBe(false);
    expect(sh('ip', 'netns', 'list')).not.toContain(a.name);
  });
});
