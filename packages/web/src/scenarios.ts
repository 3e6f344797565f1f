// The scenarios the page offers: every shipped example script, as its real source (bundled
// as text), with the options each understands. The common options (seed, loss, delay,
// bandwidth) reach every script as run overrides; a script's own flags become argv.

const sources = import.meta.glob(['../../../examples/*.ts', '../../../examples/support/*.ts'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** Every example source by the absolute path the worker resolves imports against. */
export const EXAMPLE_FILES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(sources).map(([path, source]) => [path.replace(/^(\.\.\/)+examples\//, '/examples/'), source]),
);

const transpiled = import.meta.glob(['../../../examples/*.ts', '../../../examples/support/*.ts'], { query: '?transpiled', import: 'default', eager: true }) as Record<string, string>;

/** The same files transpiled at build time (vite.config.ts), by the same paths. */
export const TRANSPILED_FILES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(transpiled).map(([path, code]) => [path.replace(/^(\.\.\/)+examples\//, '/examples/'), code]),
);

export type ScenarioFlag =
  | { readonly kind: 'choice'; readonly flag: string; readonly label: string; readonly choices: readonly string[]; readonly initial: string }
  | { readonly kind: 'text'; readonly flag: string; readonly label: string; readonly initial: string }
  | { readonly kind: 'switch'; readonly flag: string; readonly label: string };

export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly path: string;
  /** The script's own command-line flags, offered as form fields. */
  readonly flags: readonly ScenarioFlag[];
}

const TITLES: Readonly<Record<string, { title: string; flags?: readonly ScenarioFlag[] }>> = {
  'note-layers': { title: 'Study note: the layers in every model' },
  'note-handshake': { title: 'Study note: 三次握手 (seq=i, y)', flags: [{ kind: 'switch', flag: '--random', label: 'random ISNs' }] },
  'note-teardown': {
    title: 'Study note: 四次挥手 (m, n, w)',
    flags: [
      { kind: 'text', flag: '--data', label: 'bytes in CLOSE-WAIT', initial: '' },
      { kind: 'switch', flag: '--immediate', label: 'server closes at once' },
      { kind: 'text', flag: '--msl', label: 'MSL', initial: '' },
    ],
  },
  'note-flags': { title: 'Study note: the six flags' },
  'note-rst': { title: 'Study note: RST' },
  'note-sequence': { title: 'Study note: the sequence space wraps' },
  'note-sockets': { title: 'Study note: sockets and 4-tuples' },
  'three-way-handshake': { title: 'TCP three-way handshake' },
  'four-way-teardown': {
    title: 'TCP four-way teardown (TIME-WAIT, 2*MSL)',
    flags: [
      { kind: 'text', flag: '--msl', label: 'MSL', initial: '' },
      { kind: 'switch', flag: '--simultaneous', label: 'simultaneous close' },
      { kind: 'switch', flag: '--half-close', label: 'half close' },
    ],
  },
  'bulk-transfer': {
    title: 'Bulk transfer under loss (cwnd)',
    flags: [
      { kind: 'choice', flag: '--cc', label: 'congestion control', choices: ['newreno', 'reno', 'cubic'], initial: 'newreno' },
      { kind: 'text', flag: '--size', label: 'size', initial: '' },
    ],
  },
  'main-demo': { title: 'Main demo: client, switch, router, server' },
  ping: { title: 'Ping: ARP, then ICMP echo' },
  traceroute: { title: 'Traceroute through three routers' },
  fragmentation: { title: 'IPv4 fragmentation and reassembly' },
  'http-get': { title: 'HTTP GET with DNS' },
  'dns-lookup': { title: 'DNS lookup' },
  'dhcp-boot': { title: 'DHCP boot' },
  'smtp-send': { title: 'SMTP dialogue' },
  'ftp-session': { title: 'FTP session' },
  'swap-transport': { title: 'Swapped transport: go-back-N, stop-and-wait' },
  'distance-vector': { title: 'Swapped routing: distance vector' },
  'csma-cd': { title: 'Swapped physical layer: CSMA/CD bus' },
  'four-layer': { title: 'Four-layer stack: PPP network access' },
};

/** Scripts that bridge to a real network (`@netlayers/lab/node`: TAP, VXLAN) need Node and root, not a page. */
const NODE_ONLY = /from '@netlayers\/lab\/node'/;

export const SCENARIOS: readonly Scenario[] = Object.keys(EXAMPLE_FILES)
  .filter((path) => !path.startsWith('/examples/support/') && !NODE_ONLY.test(EXAMPLE_FILES[path]!))
  .map((path) => {
    const id = path.slice('/examples/'.length, -'.ts'.length);
    const known = TITLES[id];
    return { id, path, title: known?.title ?? id, flags: known?.flags ?? [] };
  })
  .sort((a, b) => (TITLES[a.id] ? Object.keys(TITLES).indexOf(a.id) : 99) - (TITLES[b.id] ? Object.keys(TITLES).indexOf(b.id) : 99));

export function scenarioById(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
