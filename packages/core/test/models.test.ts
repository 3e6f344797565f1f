import { describe, it, expect } from 'vitest';
import { getModel, layerForRole, describeStack, type StackComponent } from '../src/index.ts';

const stack: StackComponent[] = [
  { role: 'application', implementation: 'HTTP/1.1' },
  { role: 'transport', implementation: 'TCP' },
  { role: 'network', implementation: 'IPv4' },
  { role: 'link', implementation: 'Ethernet II' },
  { role: 'physical', implementation: '100 Mbit/s link' },
];

describe('layer models', () => {
  it('maps roles to layers in each model', () => {
    expect(layerForRole(getModel('tcpip-5'), 'physical').name).toBe('Physical');
    expect(layerForRole(getModel('tcpip-4'), 'physical').name).toBe('Link (network access)');
    expect(layerForRole(getModel('tcpip-4'), 'network').name).toBe('Internet');
    expect(layerForRole(getModel('osi-7'), 'link').number).toBe(2);
  });

  it('describes a five-role stack as 5, 4 and 7 layers', () => {
    expect(describeStack(stack, getModel('tcpip-5')).map((d) => d.components.length)).toEqual([1, 1, 1, 1, 1]);
    const four = describeStack(stack, getModel('tcpip-4'));
    expect(four.map((d) => d.components.map((c) => c.implementation))).toEqual([
      ['HTTP/1.1'], ['TCP'], ['IPv4'], ['Ethernet II', '100 Mbit/s link'],
    ]);
    const osi = describeStack(stack, getModel('osi-7'));
    expect(osi.map((d) => d.layer.name)).toEqual(['Application', 'Presentation', 'Session', 'Transport', 'Network', 'Data link', 'Physical']);
    expect(osi[1]!.components).toEqual([]);
    expect(osi[2]!.components).toEqual([]);
  });

  it('places a four-layer network-access module once in every model', () => {
    const access: StackComponent[] = [{ role: 'network-access', implementation: 'PPP' }];
    for (const id of ['tcpip-5', 'tcpip-4', 'osi-7']) {
      const found = describeStack(access, getModel(id)).filter((d) => d.components.length > 0);
      expect(found.length).toBe(1);
    }
  });

  it('rejects an unknown model name', () => {
    expect(() => getModel('tcpip-3')).toThrow(/tcpip-3/);
  });
});
