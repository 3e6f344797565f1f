// The student template (packages/starter-layer) stays usable: it typechecks against the
// current contracts, its skeleton has the StreamTransport shape and says what is missing,
// its own test file runs the stream transport suite with the lossy cases, and every case
// fails with a message naming its rule until a student writes the layer. (The template's suite itself
// fails until a student writes the layer, so the root run leaves packages/starter-* out.)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MyStreamSocket, MyStreamTransport } from '../../starter-layer/src/index.ts';
import { FakeIpNetwork, SuiteFailure, createWorld, runStreamTransportCase, streamTransportCases } from '../src/index.ts';
import { thrown } from '../src/suites/support.ts';

const starterDir = fileURLToPath(new URL('../../starter-layer/', import.meta.url));

describe('starter-layer template', () => {
  it('typechecks against the current contracts (tsc --noEmit -p packages/starter-layer)', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', starterDir], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('has the StreamTransport shape, and every missing piece says "not implemented yet"', () => {
    const world = createWorld();
    const net = new FakeIpNetwork(world.sim);
    const node = world.node('student');
    const transport = new MyStreamTransport(node, net.addNode(node, '10.0.0.1'));
    expect(typeof transport.name).toBe('string');
    expect(() => transport.connect({ remoteAddress: '10.0.0.2', remotePort: 80 })).toThrow(/not implemented yet/);
    expect(() => transport.listen({ port: 80 })).toThrow(/not implemented yet/);
    const socket = new MyStreamSocket();
    expect(() => socket.write('x')).toThrow(/not implemented yet/);
    expect(() => socket.end()).toThrow(/not implemented yet/);
    expect(() => socket.destroy()).toThrow(/not implemented yet/);
    expect(typeof socket.on).toBe('function');
  });

  it('runs the stream transport suite from its own test file, lossy cases included from the start', () => {
    const source = readFileSync(`${starterDir}test/my-stream-transport.test.ts`, 'utf8');
    expect(source).toMatch(/import \{ streamTransportSuite \} from '@netlayers\/testing'/);
    expect(source).toMatch(/^streamTransportSuite\('MyStreamTransport', \(node, ip\) => new MyStreamTransport\(node, ip\), \{ lossy: true \}\);$/m);
    expect(source).not.toMatch(/^\s*\/\/.*streamTransportSuite\(/m); // nothing left commented out
  });

  it('fails every case of the suite, each with a message naming its rule, until the layer is written', () => {
    const cases = streamTransportCases((node, ip) => new MyStreamTransport(node, ip), { lossy: true });
    expect(cases.length).toBe(14);
    for (const c of cases) {
      const failure = thrown(() => runStreamTransportCase(c.name, (node, ip) => new MyStreamTransport(node, ip)));
      expect(failure).toBeInstanceOf(SuiteFailure);
      expect((failure as SuiteFailure).message).toContain(`rule:     ${c.rule}`);
      expect((failure as SuiteFailure).message).toMatch(/actual: {3}threw NotImplementedYet( without a code)?: MyStream(Transport|Socket)\.\w+: not implemented yet/);
    }
  });
});
