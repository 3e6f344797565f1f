// The wiring to netlayers' own TCP (RFC 9293) and UDP (RFC 768) from @netlayers/transport:
// a StackFactory for the runner, with script options (`--tcp_timestamps=0`...) mapped onto
// TcpOptions. This is the only file of the package that imports a transport; a student's
// TCP plugs in with its own StackFactory instead.

import { TcpLayer, UdpLayer, type TcpOptions } from '@netlayers/transport';
import type { StackFactory } from './stack.ts';

type Setter = (value: string, into: Record<string, unknown>) => string | undefined;

const flag =
  (key: keyof TcpOptions): Setter =>
  (v, into) => {
    if (v !== '0' && v !== '1') return `expected 0 or 1, got '${v}'`;
    into[key] = v === '1';
    return undefined;
  };
const count =
  (key: keyof TcpOptions, unit = ''): Setter =>
  (v, into) => {
    if (!/^\d+$/.test(v)) return `expected a whole number, got '${v}'`;
    into[key] = unit === '' ? Number(v) : `${v}${unit}`;
    return undefined;
  };

/** Script options the netlayers TCP understands, named after the Linux sysctls they stand for. */
export const NETLAYERS_TCP_OPTIONS: Readonly<Record<string, Setter>> = {
  tcp_timestamps: flag('timestamps'),
  tcp_sack: flag('sack'),
  tcp_window_scaling: flag('windowScaling'),
  tcp_nodelay: flag('noDelay'),
  tcp_delack_ms: count('delayedAck', 'ms'),
  tcp_rmem: count('receiveBufferSize'),
  tcp_wmem: count('sendBufferSize'),
  tcp_mss: count('mss'),
  tcp_rto_initial_ms: count('rtoInitial', 'ms'),
  tcp_rto_min_ms: count('rtoMin', 'ms'),
  tcp_rto_max_ms: count('rtoMax', 'ms'),
  tcp_syn_retries: count('synRetries'),
  tcp_retries2: count('maxRetries'),
  tcp_keepalive_time: count('keepAliveIdle', 's'),
  tcp_keepalive_intvl: count('keepAliveInterval', 's'),
  tcp_keepalive_probes: count('keepAliveProbes'),
  tcp_msl_ms: count('msl', 'ms'),
  tcp_congestion_control: (v, into) => {
    if (v !== 'reno' && v !== 'newreno' && v !== 'cubic') return `expected reno, newreno or cubic, got '${v}'`;
    into.congestionControl = v;
    return undefined;
  },
};

/**
 * netlayers' TcpLayer (and UdpLayer) as the stack under test. `base` options apply first,
 * then the script's `--tcp_*` options. An unknown option or bad value is reported as unsupported.
 */
export function netlayersTcp(base: TcpOptions = {}): StackFactory {
  return (host, options) => {
    const tcp: Record<string, unknown> = { ...base };
    for (const [name, value] of options) {
      const set = NETLAYERS_TCP_OPTIONS[name];
      if (set === undefined) return `option --${name} (the netlayers TCP understands ${Object.keys(NETLAYERS_TCP_OPTIONS).map((k) => `--${k}`).join(', ')})`;
      const problem = set(value, tcp);
      if (problem !== undefined) return `option --${name}=${value}: ${problem}`;
    }
    return { stream: new TcpLayer(host.node, host.ip, tcp as TcpOptions), datagram: new UdpLayer(host.node, host.ip) };
  };
}
