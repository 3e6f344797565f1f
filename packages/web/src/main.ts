// The netlayers page: pick a scenario (any shipped example, its real source), set its
// options, run it with the real stack in a worker, then step through what happened — the
// topology with frames in flight, the event list, the encapsulation of any frame in any
// layer model, the ladder and charts of each connection — and download the capture. A
// capture file (pcap or pcapng, opened or dropped on the page) is shown in the same views;
// the Network chooser above the topology switches between the run's networks and captures.

import { LAYER_MODELS, getModel, type FrameEvent, type LayerModel } from '@netlayers/core';
import { writePcapng, type CapturedFrame } from '@netlayers/trace';
import { h, formatTime, download, scrollWithin } from './ui/dom.ts';
import { createEditor } from './ui/editor.ts';
import { renderTopology, layout } from './ui/topology.ts';
import { renderEventList } from './ui/event-list.ts';
import { renderEncapsulation } from './ui/encapsulation.ts';
import { connectionLadder, renderLadder } from './ui/ladder.ts';
import { renderMetricCharts, renderStateTimeline } from './ui/charts.ts';
import { EXAMPLE_FILES, SCENARIOS, TRANSPILED_FILES, scenarioById, type Scenario } from './scenarios.ts';
import { buildSteps, buildTransmissions, connectionsOf, type Step, type Transmission } from './timeline.ts';
import { decodeShared, encodeShared } from './share.ts';
import type { RecordedNetwork, RunOptions, WorkerMessage } from './protocol.ts';
import { openCapture } from './capture.ts';
import { unpackEvents } from './pack.ts';

type Tab = 'encapsulation' | 'ladder' | 'charts' | 'output' | 'editor';

/** What the Network chooser offers: each network of the last run, and each capture opened. */
interface Source {
  readonly label: string;
  readonly network: RecordedNetwork;
  /** The file's bytes, for a capture (downloaded as it was opened). */
  readonly capture?: { readonly name: string; readonly bytes: Uint8Array };
}

interface RunView {
  readonly network: RecordedNetwork;
  readonly source: Source;
  readonly steps: readonly Step[];
  readonly transmissions: readonly Transmission[];
  readonly placed: ReturnType<typeof layout>;
  readonly connections: readonly string[];
}

const shared = decodeShared(location.hash);
const state = {
  scenario: scenarioById(shared.scenario ?? '') ?? scenarioById('three-way-handshake') ?? SCENARIOS[0]!,
  model: (shared.model && shared.model in LAYER_MODELS ? shared.model : 'tcpip-5') as keyof typeof LAYER_MODELS,
  edited: false,
  runId: 0,
  /** When the page posted the current run to the worker (performance.now()). */
  runStarted: 0,
  running: false,
  run: undefined as RunView | undefined,
  output: '',
  files: [] as { path: string; bytes: Uint8Array }[],
  cursor: -1,
  time: 0,
  playing: false,
  speed: 4,
  tab: 'encapsulation' as Tab,
  filter: { protocol: '', node: '', connection: '' },
  connection: '',
  pendingStep: shared.step,
  sources: [] as Source[],
  source: -1,
  /** A capture was opened while a run was going: its end does not take the view away. */
  keepCapture: false,
  /** Captures opened so far (the page's data-capture attribute says so, for tests). */
  opened: 0,
};

// ---- layout -------------------------------------------------------------------------------

const scenarioSelect = h('select', { id: 'scenario', 'aria-label': 'Scenario' }, ...SCENARIOS.map((s) => h('option', { value: s.id }, s.title)));
const modelSelect = h('select', { id: 'model', 'aria-label': 'Layer model' }, ...Object.values(LAYER_MODELS).map((m) => h('option', { value: m.id }, m.title)));
const seedInput = h('input', { id: 'seed', type: 'number', min: 0, step: 1, value: shared.seed ?? '', placeholder: 'script’s', 'aria-label': 'Seed', size: 6 });
const lossInput = h('input', { id: 'loss', type: 'number', min: 0, max: 100, step: 0.5, value: shared.loss ?? 0, 'aria-label': 'Loss percent', size: 4 });
const duplicateInput = h('input', { id: 'duplicate', type: 'number', min: 0, max: 100, step: 0.5, value: shared.duplicate ?? 0, 'aria-label': 'Duplicate percent', size: 4 });
const delayInput = h('input', { id: 'delay', type: 'text', value: shared.delay ?? '', placeholder: 'e.g. 2ms', 'aria-label': 'Link delay', size: 6 });
const bandwidthInput = h('input', { id: 'bandwidth', type: 'text', value: shared.bandwidth ?? '', placeholder: 'e.g. 10Mbps', 'aria-label': 'Bandwidth', size: 8 });
const argsInput = h('input', { id: 'args', type: 'text', value: shared.args ?? '', placeholder: 'script flags', 'aria-label': 'Script arguments', size: 18 });
const flagsBox = h('span', { class: 'flags' });
const runButton = h('button', { id: 'run', class: 'primary' }, '▶ Run');
const cancelButton = h('button', { id: 'cancel', title: 'Stop the run that is going', disabled: true }, '■ Cancel');
const status = h('span', { id: 'status', role: 'status' }, '');
const shareButton = h('button', { id: 'share', title: 'Copy a link to this moment' }, 'Share link');
const captureInput = h('input', { id: 'open-capture', type: 'file', accept: '.pcap,.pcapng,.cap,application/vnd.tcpdump.pcap', 'aria-label': 'Open a capture file (pcap or pcapng)' });
const networkSelect = h('select', { id: 'network', 'aria-label': 'Network' });

const playButton = h('button', { id: 'play', 'aria-label': 'Play (space)' }, '▶ Play');
const backButton = h('button', { id: 'step-back', 'aria-label': 'Step back (left arrow)' }, '◀ Back');
const stepButton = h('button', { id: 'step', 'aria-label': 'Step (right arrow)' }, 'Step ▶');
const speedSelect = h('select', { id: 'speed', 'aria-label': 'Speed' }, ...[1, 2, 4, 10, 40, 200, 1000].map((s) => h('option', { value: s }, `${s} events/s`)));
const clock = h('span', { id: 'clock', class: 'clock' }, 't = 0.000000 s');

const protocolFilter = h('select', { id: 'filter-protocol', 'aria-label': 'Filter by protocol' });
const nodeFilter = h('select', { id: 'filter-node', 'aria-label': 'Filter by node' });
const connectionFilter = h('select', { id: 'filter-connection', 'aria-label': 'Filter by connection' });

const topologyBox = h('div', { id: 'topology', class: 'panel' });
const listBox = h('div', { id: 'events', class: 'panel list-panel' });
const tabs = h('div', { role: 'tablist', class: 'tabs' });
const detailBox = h('div', { id: 'detail', class: 'panel detail', role: 'tabpanel' });
const editorBox = h('div', { id: 'editor', class: 'editor' });
const editorError = h('pre', { id: 'editor-error', class: 'error', role: 'alert', hidden: true });
const downloads = h('span', { class: 'downloads' });

const app = document.getElementById('app')!;
app.textContent = '';
app.append(
  h('header', {},
    h('h1', {}, 'netlayers'),
    h('label', {}, 'Scenario ', scenarioSelect),
    h('label', {}, 'Model ', modelSelect),
    runButton, cancelButton, status, shareButton, h('label', { class: 'open-capture', title: 'Open a pcap or pcapng file (or drop one on the page)' }, 'Open capture ', captureInput), downloads),
  h('div', { class: 'options' },
    h('label', {}, 'seed ', seedInput), h('label', {}, 'loss % ', lossInput), h('label', { title: 'The medium sends a second copy of this share of frames' }, 'duplicate % ', duplicateInput), h('label', {}, 'delay ', delayInput), h('label', {}, 'bandwidth ', bandwidthInput), flagsBox, h('label', {}, 'args ', argsInput)),
  h('main', {},
    h('div', { class: 'left' },
      h('div', { class: 'network-bar' }, h('label', {}, 'Network ', networkSelect)),
      topologyBox,
      h('div', { class: 'player' }, backButton, playButton, stepButton, speedSelect, clock),
      h('div', { class: 'filters' }, h('label', {}, 'protocol ', protocolFilter), h('label', {}, 'node ', nodeFilter), h('label', {}, 'connection ', connectionFilter)),
      listBox),
    h('div', { class: 'right' }, tabs, detailBox, h('div', { id: 'editor-pane', hidden: true }, editorBox, editorError))),
);
scenarioSelect.value = state.scenario.id;
modelSelect.value = state.model;

const editor = createEditor(editorBox, editorError, () => {
  state.edited = true;
});

function model(): LayerModel {
  return getModel(state.model);
}

// ---- scenario and options -------------------------------------------------------------------

function renderFlags(scenario: Scenario): void {
  flagsBox.textContent = '';
  for (const flag of scenario.flags) {
    if (flag.kind === 'switch') flagsBox.append(h('label', {}, h('input', { type: 'checkbox', 'data-flag': flag.flag }), ` ${flag.label} `));
    else if (flag.kind === 'choice') flagsBox.append(h('label', {}, `${flag.label} `, h('select', { 'data-flag': flag.flag }, ...flag.choices.map((c) => h('option', { value: c, selected: c === flag.initial }, c)))));
    else flagsBox.append(h('label', {}, `${flag.label} `, h('input', { type: 'text', 'data-flag': flag.flag, value: flag.initial, size: 6 })));
  }
}

/** The script's argv: the form's flags, then the free-form args; a flag typed in args wins over the form's. */
function scriptArgs(): string[] {
  const extra = argsInput.value.split(/\s+/).filter((a) => a !== '');
  const typed = new Set(extra.filter((a) => a.startsWith('--')));
  const args: string[] = [];
  flagsBox.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-flag]').forEach((el) => {
    const flag = el.dataset['flag']!;
    if (typed.has(flag)) return;
    if (el instanceof HTMLInputElement && el.type === 'checkbox') {
      if (el.checked) args.push(flag);
    } else if (el.value.trim() !== '') args.push(flag, el.value.trim());
  });
  return [...args, ...extra];
}

function runOptions(): RunOptions {
  const seed = seedInput.value.trim() === '' ? undefined : Number(seedInput.value);
  const loss = Number(lossInput.value) / 100;
  const duplicate = Number(duplicateInput.value) / 100;
  return {
    ...(seed !== undefined && Number.isInteger(seed) ? { seed } : {}),
    ...(loss > 0 ? { loss } : {}),
    ...(duplicate > 0 ? { duplicate } : {}),
    ...(delayInput.value.trim() ? { delay: delayInput.value.trim() } : {}),
    ...(bandwidthInput.value.trim() ? { bandwidth: bandwidthInput.value.trim() } : {}),
    args: scriptArgs(),
  };
}

function selectScenario(scenario: Scenario): void {
  state.scenario = scenario;
  state.edited = false;
  editor.setSource(EXAMPLE_FILES[scenario.path] ?? '');
  state.edited = false;
  editor.showError(undefined);
  renderFlags(scenario);
}

// ---- running --------------------------------------------------------------------------------

/**
 * The simulation worker, kept from run to run: a re-run finds the stack's code compiled and
 * warm, as a second run in one Node process does. It is ended only to stop a run still going
 * (Cancel, or Run pressed again), or after it failed; a new one then takes its place.
 */
let worker: Worker | undefined;

function simulationWorker(): Worker {
  if (worker !== undefined) return worker;
  const created = new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module' });
  created.onmessage = (event: MessageEvent<WorkerMessage>) => onWorkerMessage(event.data);
  created.onerror = (event) => {
    endWorker();
    finishWithError(event.message || 'the simulation worker failed');
  };
  worker = created;
  return created;
}

function endWorker(): void {
  worker?.terminate();
  worker = undefined;
}

/** Epoch milliseconds, comparable with the worker's instants (WorkerTimings). */
function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

function startRun(): void {
  // A run still going is abandoned: its worker is busy to the end, so end it.
  if (state.running) endWorker();
  state.runId++;
  state.runStarted = performance.now();
  state.running = true;
  state.playing = false;
  state.output = '';
  status.textContent = 'running…';
  document.body.dataset['run'] = `${state.runId}:running`;
  runButton.disabled = false;
  cancelButton.disabled = false;
  editor.showError(undefined);
  const files: Record<string, string> = { ...EXAMPLE_FILES, [state.scenario.path]: editor.getSource() };
  // Files as shipped run as the build transpiled them; an edited one is transpiled in the worker.
  const transpiled = Object.fromEntries(Object.entries(TRANSPILED_FILES).filter(([path]) => files[path] === EXAMPLE_FILES[path]));
  simulationWorker().postMessage({ type: 'run', runId: state.runId, files, transpiled, entry: state.scenario.path, options: runOptions() });
}

/** Stop the run that is going: its worker is ended, and a new one starts loading for the next run. */
function cancelRun(): void {
  if (!state.running) return;
  endWorker();
  state.running = false;
  state.keepCapture = false;
  cancelButton.disabled = true;
  status.textContent = '■ cancelled';
  document.body.dataset['run'] = `${state.runId}:cancelled`;
  simulationWorker();
  renderDetail();
}

function finishWithError(message: string, line?: number): void {
  state.running = false;
  cancelButton.disabled = true;
  document.body.dataset['run'] = `${state.runId}:done`;
  status.textContent = '✗ error';
  editor.showError(message, line);
  showTab('editor');
}

function onWorkerMessage(message: WorkerMessage): void {
  if (message.runId !== state.runId) return;
  if (message.type === 'output') {
    state.output += message.text;
    if (state.tab === 'output') renderDetail();
    return;
  }
  if (message.type !== 'done') return;
  const receivedAt = epochMs();
  state.running = false;
  cancelButton.disabled = true;
  const { timings } = message;
  const unpacking = performance.now();
  const networks: RecordedNetwork[] = message.networks.map((n) => ({ ...n, events: unpackEvents(n.events) }));
  const unpackMs = performance.now() - unpacking;
  const building = performance.now();
  document.body.dataset['run'] = `${state.runId}:done`;
  document.body.dataset['wallMs'] = String(timings.runMs);
  document.body.dataset['workerRuns'] = String(timings.runsInWorker);
  state.files = [...message.files];
  const network = networks[0];
  const captures = state.sources.filter((s) => s.capture !== undefined);
  const current = state.sources[state.source];
  state.sources = [...networks.map((n, i) => ({ label: `${state.scenario.title}${networks.length > 1 ? ` — network ${i + 1}` : ''}`, network: n })), ...captures];
  // The previous run's networks are gone from the chooser; a capture keeps its place.
  state.source = current === undefined ? -1 : state.sources.indexOf(current);
  if (state.keepCapture && current?.capture !== undefined) {
    state.keepCapture = false;
    fillNetworks();
    renderDownloads();
    return;
  }
  if (message.error !== undefined) {
    finishWithError(message.error.message, message.error.line);
    if (network === undefined) return fillNetworks();
  }
  if (network === undefined) {
    status.textContent = 'the script made no Network';
    return fillNetworks();
  }
  showSource(0, state.pendingStep);
  state.pendingStep = undefined;
  if (message.error === undefined) status.textContent = `✓ ${state.run!.steps.length} events, ${formatTime(network.endTime)} simulated in ${Math.round(timings.runMs)} ms`;
  // From Run to the views built (the worker's run, its results posted over, the steps derived).
  const shownMs = performance.now() - state.runStarted;
  document.body.dataset['shownMs'] = String(shownMs);
  // Where that time went, for the benchmark: start (Run to the worker beginning: a new
  // worker's start-up), run, pack, transfer (posted to received), unpack, views.
  const runStartedAt = performance.timeOrigin + state.runStarted;
  document.body.dataset['timings'] = JSON.stringify({
    start: timings.startedAt - runStartedAt,
    run: timings.runMs,
    pack: timings.packMs,
    transfer: receivedAt - timings.postedAt,
    unpack: unpackMs,
    views: performance.now() - building,
    shown: shownMs,
    workerRuns: timings.runsInWorker,
  });
}

/** Show one of the chooser's networks (a run's or a capture) in every view. */
function showSource(index: number, step?: number): void {
  const source = state.sources[index];
  if (source === undefined) return;
  state.source = index;
  const network = source.network;
  const steps = buildSteps(network);
  const connections = connectionsOf(steps, isConnectionKey);
  state.run = { network, source, steps, transmissions: buildTransmissions(network, steps), placed: layout(network), connections };
  state.connection = connections[0] ?? '';
  fillNetworks();
  fillFilters();
  setCursor(step !== undefined && step >= 0 && step < steps.length ? step : 0);
  renderDownloads();
}

function fillNetworks(): void {
  networkSelect.replaceChildren(...state.sources.map((s, i) => h('option', { value: i, selected: i === state.source }, s.capture ? `capture: ${s.label}` : s.label)));
  networkSelect.disabled = state.sources.length < 2;
}

/** Open a capture file's bytes: add it to the chooser and show it, or say why it cannot be read. */
function openCaptureFile(name: string, bytes: Uint8Array): void {
  const opened = openCapture(name, bytes);
  if ('error' in opened) {
    status.textContent = `✗ ${opened.error}`;
    document.body.dataset['capture'] = 'error';
    return;
  }
  setPlaying(false);
  if (state.running) state.keepCapture = true;
  state.sources.push({ label: name, network: opened.network, capture: { name, bytes } });
  showSource(state.sources.length - 1);
  const problems = opened.capture.problems.length ? ` (${opened.capture.problems.join('; ')}: the frames before it are shown)` : '';
  status.textContent = `✓ ${name}: ${opened.capture.packets.length} frames (${opened.capture.format}), ${state.run!.connections.length} conversation${state.run!.connections.length === 1 ? '' : 's'}${problems}`;
  state.opened++;
  document.body.dataset['capture'] = `${state.opened}:open`;
}

function isConnectionKey(connection: string): boolean {
  return connection.includes(':');
}

// ---- filters and the cursor -----------------------------------------------------------------

function fillFilters(): void {
  const run = state.run;
  if (run === undefined) return;
  const fill = (select: HTMLSelectElement, label: string, values: readonly string[]): void => {
    select.textContent = '';
    select.append(h('option', { value: '' }, `all ${label}`), ...values.map((v) => h('option', { value: v }, v)));
  };
  fill(protocolFilter, 'protocols', [...new Set(run.steps.map((s) => s.protocol))].sort());
  fill(nodeFilter, 'nodes', run.network.nodes.map((n) => n.name));
  fill(connectionFilter, 'connections', run.connections);
  state.filter = { protocol: '', node: '', connection: '' };
}

function visibleSteps(): number[] {
  const run = state.run;
  if (run === undefined) return [];
  const { protocol, node, connection } = state.filter;
  const out: number[] = [];
  run.steps.forEach((s, i) => {
    if (protocol && s.protocol !== protocol) return;
    if (node && s.event.node !== node) return;
    if (connection && s.connection !== connection && !(s.connection && sameConn(s.connection, connection))) return;
    out.push(i);
  });
  return out;
}

function sameConn(a: string, b: string): boolean {
  const [x, y] = a.split('-');
  return `${y}-${x}` === b;
}

function setCursor(stepIndex: number): void {
  const run = state.run;
  if (run === undefined) return;
  state.cursor = Math.max(0, Math.min(run.steps.length - 1, stepIndex));
  state.time = run.steps[state.cursor]?.event.time ?? 0;
  const connection = run.steps[state.cursor]?.connection;
  if (connection !== undefined && run.connections.includes(connection)) state.connection = connection;
  render();
}

function move(delta: number): void {
  const visible = visibleSteps();
  if (visible.length === 0) return;
  const at = visible.indexOf(state.cursor);
  const next = at < 0 ? visible.find((i) => i > state.cursor) ?? visible[0]! : visible[Math.max(0, Math.min(visible.length - 1, at + delta))]!;
  setCursor(next);
}

// ---- playing ----------------------------------------------------------------------------------

let timer: number | undefined;
let lastStepAt = 0;

/**
 * Play: one event per 1/speed seconds; between two events the topology's clock runs from the
 * first event's virtual time to the next one's, so frames glide along their links.
 */
function setPlaying(playing: boolean): void {
  state.playing = playing;
  playButton.textContent = playing ? '⏸ Pause' : '▶ Play';
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
  if (!playing) return;
  const interval = Math.max(5, 1000 / state.speed);
  lastStepAt = performance.now();
  timer = window.setInterval(() => {
    const visible = visibleSteps();
    if (visible.indexOf(state.cursor) >= visible.length - 1) return setPlaying(false);
    lastStepAt = performance.now();
    move(1);
  }, interval);
  const animate = (): void => {
    const run = state.run;
    if (!state.playing || run === undefined) return;
    const visible = visibleSteps();
    const next = visible[visible.indexOf(state.cursor) + 1];
    const from = run.steps[state.cursor]?.event.time ?? 0;
    const to = next === undefined ? from : run.steps[next]!.event.time;
    const f = Math.min(1, (performance.now() - lastStepAt) / interval);
    state.time = from + (to - from) * f;
    renderTopologyOnly();
    requestAnimationFrame(animate);
  };
  requestAnimationFrame(animate);
}

// ---- rendering ------------------------------------------------------------------------------

function renderTopologyOnly(): void {
  const run = state.run;
  if (run === undefined) return;
  const step = run.steps[state.cursor];
  const selected = run.transmissions.find((t) => t.step === state.cursor) ?? run.transmissions.find((t) => step?.event.kind === 'frame' && t.arrived === step.event.time && t.to === step.event.node);
  topologyBox.replaceChildren(renderTopology(run.network, run.placed, state.time, run.transmissions, selected));
}

function render(): void {
  const run = state.run;
  clock.textContent = `t = ${formatTime(state.time)}${run ? ` · step ${state.cursor + 1} of ${run.steps.length}` : ''}`;
  if (run === undefined) return;
  renderTopologyOnly();
  listBox.replaceChildren(renderEventList(run.steps, visibleSteps(), state.cursor, model(), (i) => setCursor(i)));
  scrollWithin(listBox, listBox.querySelector('tr.current'));
  renderDetail();
  history.replaceState(null, '', encodeShared(sharedState()));
}

function sharedState(): Parameters<typeof encodeShared>[0] {
  const options = runOptions();
  return {
    scenario: state.scenario.id,
    model: state.model,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.loss !== undefined ? { loss: options.loss * 100 } : {}),
    ...(options.duplicate !== undefined ? { duplicate: options.duplicate * 100 } : {}),
    ...(options.delay !== undefined ? { delay: options.delay } : {}),
    ...(options.bandwidth !== undefined ? { bandwidth: options.bandwidth } : {}),
    ...(argsInput.value.trim() ? { args: argsInput.value.trim() } : {}),
    ...(state.run ? { step: state.cursor } : {}),
  };
}

/** The frame behind the selected step: the step itself, or the frame that carried its PDU. */
function frameForCursor(): FrameEvent | undefined {
  const run = state.run;
  const step = run?.steps[state.cursor];
  if (run === undefined || step === undefined) return undefined;
  if (step.event.kind === 'frame') return step.event;
  if (step.event.kind !== 'pdu') return undefined;
  const down = step.event.kind === 'pdu' && step.event.direction === 'down';
  const node = step.event.node;
  const range = down ? run.steps.slice(state.cursor + 1, state.cursor + 400) : run.steps.slice(Math.max(0, state.cursor - 400), state.cursor).reverse();
  const found = range.find((s) => s.event.kind === 'frame' && s.event.node === node && (down ? s.event.action === 'tx' : s.event.action === 'rx'));
  return found?.event.kind === 'frame' ? found.event : undefined;
}

const TAB_NAMES: Readonly<Record<Tab, string>> = { encapsulation: 'Encapsulation', ladder: 'Ladder', charts: 'Connection charts', output: 'Script output', editor: 'Script' };

function showTab(tab: Tab): void {
  state.tab = tab;
  tabs.replaceChildren(...(Object.keys(TAB_NAMES) as Tab[]).map((t) => h('button', { role: 'tab', id: `tab-${t}`, 'aria-selected': t === tab ? 'true' : 'false', class: t === tab ? 'tab active' : 'tab', onclick: () => showTab(t) }, TAB_NAMES[t])));
  document.getElementById('editor-pane')!.hidden = tab !== 'editor';
  detailBox.hidden = tab === 'editor';
  renderDetail();
}

function connectionPicker(): HTMLElement {
  const run = state.run!;
  const select = h('select', { 'aria-label': 'Connection', id: 'ladder-connection' }, ...run.connections.map((c) => h('option', { value: c, selected: c === state.connection }, c)));
  select.addEventListener('change', () => {
    state.connection = select.value;
    renderDetail();
  });
  return h('label', {}, 'connection ', select);
}

function renderDetail(): void {
  const run = state.run;
  if (state.tab === 'editor') return;
  if (state.tab === 'output') {
    detailBox.replaceChildren(h('pre', { class: 'output' }, state.output || '(nothing printed yet)'));
    return;
  }
  if (run === undefined) {
    detailBox.replaceChildren(h('p', { class: 'muted' }, state.running ? 'Running…' : 'Press Run (or Enter) to run the scenario.'));
    return;
  }
  if (state.tab === 'encapsulation') {
    const frame = frameForCursor();
    detailBox.replaceChildren(frame ? renderEncapsulation(frame, model()) : h('p', { class: 'muted' }, 'This event carried no frame (a state change, timer or note). Select a frame or a PDU.'));
    return;
  }
  if (run.connections.length === 0 || state.connection === '') {
    detailBox.replaceChildren(h('p', { class: 'muted' }, 'No transport connection in this run.'));
    return;
  }
  if (state.tab === 'ladder') {
    const ladder = connectionLadder(run.network.events, state.connection);
    const selectedEvent = run.steps[state.cursor]?.index;
    const picture = renderLadder(ladder, selectedEvent, (eventIndex) => {
      const step = run.steps.findIndex((s) => s.index === eventIndex);
      if (step >= 0) setCursor(step);
    });
    const svgButton = h('button', { id: 'download-svg' }, '⬇ ladder.svg');
    svgButton.addEventListener('click', () => download('ladder.svg', new XMLSerializer().serializeToString(picture), 'image/svg+xml'));
    detailBox.replaceChildren(h('div', { class: 'detail-bar' }, connectionPicker(), svgButton), h('div', { class: 'ladder-box' }, picture));
    scrollWithin(detailBox, detailBox.querySelector('g.selected'));
    return;
  }
  detailBox.replaceChildren(connectionPicker(), renderStateTimeline(run.network.events, state.connection, run.network.endTime, state.time), renderMetricCharts(run.network.events, state.connection, run.network.endTime, state.time));
}

function renderDownloads(): void {
  const run = state.run;
  const pcap = h('button', { id: 'download-pcapng' }, run?.source.capture ? `⬇ ${run.source.capture.name}` : '⬇ pcapng');
  pcap.addEventListener('click', () => {
    if (run === undefined) return;
    const opened = run.source.capture;
    if (opened !== undefined) return download(opened.name, opened.bytes, 'application/octet-stream');
    const frames: CapturedFrame[] = [];
    for (const e of run.network.events) {
      // Capture points only: a node's tx and rx (what the medium did is on the medium).
      if (e.kind !== 'frame' || (e.action !== 'tx' && e.action !== 'rx')) continue;
      // The frame's link type picks the interface's: a PPP link's frames are LINKTYPE_PPP, not Ethernet.
      frames.push({ time: e.time, bytes: e.bytes, interfaceName: `${e.node}:${e.iface ?? 'eth0'}`, direction: e.action === 'tx' ? 'outbound' : 'inbound', ...(e.linkType !== undefined ? { linkType: e.linkType } : {}) });
    }
    download(`${state.scenario.id}.pcapng`, writePcapng(frames), 'application/octet-stream');
  });
  const written = state.files.map((f) => {
    const b = h('button', { class: 'file' }, `⬇ ${f.path.split('/').pop()}`);
    b.addEventListener('click', () => download(f.path.split('/').pop() ?? 'file', f.bytes, 'application/octet-stream'));
    return b;
  });
  downloads.replaceChildren(pcap, ...written);
}

// ---- events ---------------------------------------------------------------------------------

scenarioSelect.addEventListener('change', () => {
  selectScenario(scenarioById(scenarioSelect.value) ?? SCENARIOS[0]!);
  startRun();
});
modelSelect.addEventListener('change', () => {
  state.model = modelSelect.value as typeof state.model;
  render();
});
runButton.addEventListener('click', startRun);
cancelButton.addEventListener('click', cancelRun);
networkSelect.addEventListener('change', () => showSource(Number(networkSelect.value)));
async function openFiles(files: FileList | null | undefined): Promise<void> {
  for (const file of files ?? []) openCaptureFile(file.name, new Uint8Array(await file.arrayBuffer()));
}
captureInput.addEventListener('change', () => {
  void openFiles(captureInput.files).then(() => {
    captureInput.value = '';
  });
});
document.addEventListener('dragover', (event) => {
  if (!event.dataTransfer?.types.includes('Files')) return;
  event.preventDefault();
  document.body.classList.add('dropping');
});
document.addEventListener('dragleave', () => document.body.classList.remove('dropping'));
document.addEventListener('drop', (event) => {
  if (!event.dataTransfer?.types.includes('Files')) return;
  event.preventDefault();
  document.body.classList.remove('dropping');
  void openFiles(event.dataTransfer.files);
});
playButton.addEventListener('click', () => setPlaying(!state.playing));
stepButton.addEventListener('click', () => move(1));
backButton.addEventListener('click', () => move(-1));
speedSelect.value = String(state.speed);
speedSelect.addEventListener('change', () => {
  state.speed = Number(speedSelect.value);
  if (state.playing) setPlaying(true);
});
for (const [select, key] of [[protocolFilter, 'protocol'], [nodeFilter, 'node'], [connectionFilter, 'connection']] as const) {
  select.addEventListener('change', () => {
    state.filter = { ...state.filter, [key]: select.value };
    const visible = visibleSteps();
    if (!visible.includes(state.cursor) && visible.length > 0) setCursor(visible.find((i) => i >= state.cursor) ?? visible[0]!);
    else render();
  });
}
shareButton.addEventListener('click', () => {
  const link = `${location.origin}${location.pathname}${encodeShared(sharedState())}`;
  navigator.clipboard.writeText(link).then(
    () => (status.textContent = 'link copied'),
    () => (status.textContent = link),
  );
});
document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  if (target.closest('.cm-editor') || target instanceof HTMLInputElement || target instanceof HTMLSelectElement) return;
  if (event.key === ' ') {
    event.preventDefault();
    setPlaying(!state.playing);
  } else if (event.key === 'ArrowRight' || event.key === 'ArrowDown') {
    event.preventDefault();
    move(1);
  } else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') {
    event.preventDefault();
    move(-1);
  } else if (event.key === 'Home') {
    event.preventDefault();
    const visible = visibleSteps();
    if (visible.length > 0) setCursor(visible[0]!);
  } else if (event.key === 'End' && state.run) {
    event.preventDefault();
    const visible = visibleSteps();
    if (visible.length > 0) setCursor(visible[visible.length - 1]!);
  } else if (event.key === 'Enter' && !state.running && target === document.body) {
    startRun();
  }
});

selectScenario(state.scenario);
showTab('encapsulation');
render();
startRun();
