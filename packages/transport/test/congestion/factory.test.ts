import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@netlayers/core';
import {
  CubicCongestionControl,
  NewRenoCongestionControl,
  RenoCongestionControl,
  congestionControlNames,
  createCongestionControl,
} from '../../src/tcp/congestion/index.ts';

describe('createCongestionControl', () => {
  it('builds each named algorithm, fresh each time', () => {
    expect(congestionControlNames).toEqual(['reno', 'newreno', 'cubic']);
    for (const name of congestionControlNames) {
      const cc = createCongestionControl(name);
      expect(cc.name).toBe(name);
      expect(createCongestionControl(name)).not.toBe(cc);
    }
    expect(createCongestionControl('reno')).toBeInstanceOf(RenoCongestionControl);
    expect(createCongestionControl('newreno')).toBeInstanceOf(NewRenoCongestionControl);
    expect(createCongestionControl('cubic')).toBeInstanceOf(CubicCongestionControl);
  });

  it('passes options through', () => {
    const cc = createCongestionControl('cubic', { initialWindow: 'rfc6928' });
    cc.init(1460, 0);
    expect(cc.cwnd).toBe(14600);
  });

  it('rejects an unknown name, naming it', () => {
    expect(() => createCongestionControl('vegas' as never)).toThrow(InvalidArgumentError);
    expect(() => createCongestionControl('vegas' as never)).toThrow(/"vegas"/);
  });
});
