// V8 CPU profiles out of a Chromium trace (the `disabled-by-default-v8.cpu_profiler` category):
// every JavaScript thread that ran while the trace was on — the page's main thread, the
// simulation's Web Worker — leaves `Profile` and `ProfileChunk` events, which are put back
// together here into the .cpuprofile shape (nodes, samples, timeDeltas) that
// packages/bench/src/profile-summary.ts and Chrome DevTools read. Tracing is used rather than
// a CDP session on the worker because it starts before the worker exists, so the run's first
// millisecond is sampled too (playwright-core opens CDP sessions on pages, not workers).

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly id?: string;
  readonly args?: { readonly name?: string; readonly data?: ChunkData & { readonly startTime?: number } };
}

interface ChunkData {
  readonly cpuProfile?: {
    readonly nodes?: readonly { readonly id: number; readonly parent?: number; readonly callFrame: { readonly functionName?: string; readonly url?: string; readonly lineNumber?: number; readonly columnNumber?: number } }[];
    readonly samples?: readonly number[];
  };
  readonly timeDeltas?: readonly number[];
}

export interface ThreadProfile {
  /** The thread's name in the trace: CrRendererMain, DedicatedWorker thread... */
  readonly thread: string;
  readonly profile: {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children: number[] }[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
  };
}

/** One profile per (process, profile id) found in the trace, with its thread's name. */
export function profilesOfTrace(traceJson: string): ThreadProfile[] {
  const parsed = JSON.parse(traceJson) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const threadNames = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name !== undefined) threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  const byId = new Map<string, { thread: string; profile: ThreadProfile['profile']; nodeById: Map<number, ThreadProfile['profile']['nodes'][number]> }>();
  for (const e of events) {
    if ((e.name !== 'Profile' && e.name !== 'ProfileChunk') || e.id === undefined) continue;
    const key = `${e.pid}:${e.id}`;
    let entry = byId.get(key);
    if (entry === undefined) {
      entry = { thread: threadNames.get(`${e.pid}:${e.tid}`) ?? `thread ${e.tid}`, profile: { nodes: [], samples: [], timeDeltas: [], startTime: 0, endTime: 0 }, nodeById: new Map() };
      byId.set(key, entry);
    }
    const data = e.args?.data;
    if (data === undefined) continue;
    if (e.name === 'Profile') {
      entry.profile.startTime = data.startTime ?? 0;
      continue;
    }
    for (const n of data.cpuProfile?.nodes ?? []) {
      const f = n.callFrame;
      const node = { id: n.id, callFrame: { functionName: f.functionName ?? '', url: f.url ?? '', lineNumber: f.lineNumber ?? -1, columnNumber: f.columnNumber ?? -1 }, children: [] };
      entry.profile.nodes.push(node);
      entry.nodeById.set(n.id, node);
      if (n.parent !== undefined) entry.nodeById.get(n.parent)?.children.push(n.id);
    }
    entry.profile.samples.push(...(data.cpuProfile?.samples ?? []));
    entry.profile.timeDeltas.push(...(data.timeDeltas ?? []));
  }
  const out: ThreadProfile[] = [];
  for (const { thread, profile } of byId.values()) {
    // Chunks may carry samples before their deltas arrive; keep the two the same length.
    const n = Math.min(profile.samples.length, profile.timeDeltas.length);
    profile.samples.length = n;
    profile.timeDeltas.length = n;
    profile.endTime = profile.startTime + profile.timeDeltas.reduce((a, b) => a + b, 0);
    if (n > 0) out.push({ thread, profile });
  }
  return out;
}
