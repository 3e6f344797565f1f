import { describe, it, expect, afterEach } from 'vitest';
import { InvalidArgumentError } from '@netlayers/core';
import { Network, setRunOverrides } from '../src/index.ts';

function lan(): Network {
  const net = new Network({ seed: 7 });
  const sw = net.addSwitch('sw1');
  net.connect([net.addHost('a'), '10.0.0.1/24'], sw, { delay: '1ms' });
  net.connect([net.addHost('b'), '10.0.0.2/24'], sw, { delay: '1ms' });
  return net;
}

describe('run overrides (what the CLI and the page impose on a script)', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('replace the seed the script chose, and restore it afterwards', () => {
    restore = setRunOverrides({ seed: 42 });
    expect(new Network({ seed: 1 }).seed).toBe(42);
    restore();
    restore = undefined;
    expect(new Network({ seed: 1 }).seed).toBe(1);
  });

  it('lay link options over every connection: a longer delay shows in the ping RTT', async () => {
    const plain = await lan().host('a').ping('10.0.0.2');
    restore = setRunOverrides({ link: { delay: '10ms' } });
    const slow = await lan().host('a').ping('10.0.0.2');
    expect(plain.ok && slow.ok).toBe(true);
    if (plain.ok && slow.ok) {
      // Four link crossings per round trip (a-sw, sw-b and back): 4 x 9 ms more.
      expect(slow.rtt - plain.rtt).toBeGreaterThanOrEqual(36_000_000);
    }
  });

  it('merge impairments: total loss makes the ping fail without touching the script', async () => {
    restore = setRunOverrides({ link: { impairments: { loss: 1 } } });
    const reply = await lan().host('a').ping('10.0.0.2');
    expect(reply.ok).toBe(false);
  });

  it('reject a seed that is neither an integer nor a string', () => {
    expect(() => setRunOverrides({ seed: 1.5 })).toThrow(InvalidArgumentError);
  });
});
