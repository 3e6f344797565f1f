// The simulation worker: runs a script with the real stack off the page's main thread, so
// the page stays responsive during a long transfer. Every Network the script creates gets a
// recorder (through Network.onCreate, as `netlayers run` does); the page's options become
// run overrides (seed, link loss/delay/bandwidth) and extra argv flags. The worker stays
// up between runs, so a re-run finds its JIT warm; each run's recorded events go back to
// the page packed into buffers that are transferred, not cloned.

import { Host, Network, Switch, setRunOverrides, type RunOverrides } from '@netlayers/lab';
import { TraceRecorder } from '@netlayers/trace';
import { packEvents, transferablesOf } from '../pack.ts';
import type { PackedNetwork, RecordedNetwork, RunRequest, TopologyNode, WorkerMessage } from '../protocol.ts';
import { hashersReady } from '../shims/crypto.ts';
import { takeWrittenFiles } from '../shims/fs.ts';
import { runScript, ScriptError, ScriptExit } from './run-script.ts';

const scope = self as unknown as { postMessage(message: WorkerMessage, transfer?: Transferable[]): void; onmessage: ((event: MessageEvent<RunRequest>) => void) | null };

/** Runs this worker has started. */
let runsInWorker = 0;

/** Epoch milliseconds, comparable with the page's (see WorkerTimings). */
function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

function overridesOf(request: RunRequest): RunOverrides {
  const { seed, loss, duplicate, delay, bandwidth } = request.options;
  const impairments = {
    ...(loss !== undefined && loss > 0 ? { loss } : {}),
    ...(duplicate !== undefined && duplicate > 0 ? { duplicate } : {}),
  };
  const link = {
    ...(delay !== undefined && delay !== '' ? { delay } : {}),
    ...(bandwidth !== undefined && bandwidth !== '' ? { bandwidth } : {}),
    ...(Object.keys(impairments).length > 0 ? { impairments } : {}),
  };
  return { ...(seed !== undefined ? { seed } : {}), ...(Object.keys(link).length > 0 ? { link } : {}) };
}

function topologyOf(network: Network): Pick<RecordedNetwork, 'nodes' | 'links'> {
  const nodes: TopologyNode[] = [...network.nodes.values()].map((node) => {
    if (node instanceof Host) {
      return {
        name: node.name,
        kind: node.kind,
        interfaces: [...node.interfaces.values()].map((i) => ({
          name: i.name,
          ...(i.link.hardwareAddress !== null ? { mac: i.link.hardwareAddress.toString() } : {}),
          ...(i.cidr !== null ? { address: i.cidr.toString() } : {}),
        })),
      };
    }
    if (node instanceof Switch) return { name: node.name, kind: 'switch', interfaces: node.ports.map((_p, i) => ({ name: `port${i + 1}` })) };
    return { name: node.name, kind: 'segment', interfaces: [] };
  });
  return { nodes, links: network.links.map(({ name, a, b, label }) => ({ name, a, b, label })) };
}

async function run(request: RunRequest): Promise<void> {
  runsInWorker++;
  const startedAt = epochMs();
  const started = performance.now();
  const recorded: { network: Network; recorder: TraceRecorder }[] = [];
  const unsubscribe = Network.onCreate((network) => recorded.push({ network, recorder: new TraceRecorder().record(network.trace) }));
  const restore = setRunOverrides(overridesOf(request));
  let buffer = '';
  let lastFlush = performance.now();
  const write = (text: string): void => {
    buffer += text;
    if (performance.now() - lastFlush > 50) flush();
  };
  const flush = (): void => {
    if (buffer !== '') scope.postMessage({ type: 'output', runId: request.runId, text: buffer });
    buffer = '';
    lastFlush = performance.now();
  };
  let error: Extract<WorkerMessage, { type: 'done' }>['error'];
  try {
    await runScript({ files: request.files, transpiled: request.transpiled, entry: request.entry, args: request.options.args ?? [] }, write);
  } catch (caught) {
    if (caught instanceof ScriptExit) {
      error = { message: `the script exited with code ${caught.code}` };
    } else if (caught instanceof ScriptError) {
      error = { message: caught.message, file: caught.file, ...(caught.line !== undefined ? { line: caught.line } : {}) };
    } else {
      error = { message: caught instanceof Error ? (caught.stack ?? caught.message) : String(caught) };
    }
  } finally {
    restore();
    unsubscribe();
    flush();
  }
  const runMs = performance.now() - started;
  const packing = performance.now();
  const transfer: Transferable[] = [];
  const networks: PackedNetwork[] = recorded.map(({ network, recorder }) => {
    recorder.detach();
    const events = packEvents(recorder.events);
    transfer.push(...transferablesOf(events));
    return { seed: network.seed, ...topologyOf(network), events, endTime: network.now() };
  });
  const files = takeWrittenFiles();
  // A written file's bytes own their buffer (the fs shim copies): move it too.
  for (const file of files) if (file.bytes.byteOffset === 0 && file.bytes.byteLength === file.bytes.buffer.byteLength) transfer.push(file.bytes.buffer as ArrayBuffer);
  const timings = { startedAt, runMs, packMs: performance.now() - packing, postedAt: epochMs(), runsInWorker };
  scope.postMessage({ type: 'done', runId: request.runId, networks, files, timings, ...(error ? { error } : {}) }, transfer);
}

// One run at a time: a run posted while another goes waits for it (the page ends the worker
// instead, to stop a run, so this is only a safeguard).
let queue: Promise<void> = hashersReady;

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type !== 'run') return;
  queue = queue
    .then(() => run(request))
    .catch((caught: unknown) => {
      // Something failed outside the script (packing its events): say so, and stay usable.
      const message = caught instanceof Error ? caught.message : String(caught);
      const now = epochMs();
      scope.postMessage({ type: 'done', runId: request.runId, networks: [], files: [], timings: { startedAt: now, runMs: 0, packMs: 0, postedAt: now, runsInWorker }, error: { message } });
    });
};
