// Stepping: run a simulation one scheduler event at a time and tell what each step did, as
// "at 0.002100 s, on node client, Transport layer (TCP) sent ...", from the trace events
// published during that step. `recordSteps` does the same grouping for a run that someone
// else drives (the CLI), using the scheduler's count of events run.

import { formatDuration, getModel, layerForRole, layerLabel, type DissectorRegistry, type LayerModel, type ModelId, type Scheduler, type TraceBus, type TraceEvent } from '@netlayers/core';
import { dissect } from './dissectors.ts';
import { formatSeconds } from './format.ts';
import { frameBody } from './frames.ts';

export interface StepReport {
  /** 1-based number of the scheduler event (0: what happened before the first event). */
  readonly step: number;
  readonly time: number;
  readonly events: readonly TraceEvent[];
  /** One sentence per event. */
  readonly lines: readonly string[];
}

export interface SimulationLike {
  readonly scheduler: Scheduler;
  readonly trace: TraceBus;
}

export interface StepperOptions {
  /** The model that names layers (default 'tcpip-5'). */
  readonly model?: ModelId | LayerModel;
  /** The registry that decodes frames (default: defaultDissectors()). */
  readonly dissectors?: DissectorRegistry;
}

function layerName(model: LayerModel, event: TraceEvent): string {
  try {
    const layer = layerForRole(model, event.role);
    return layer.aboveStack ? layerLabel(layer) : `${layer.name} layer`;
  } catch {
    return event.role;
  }
}

/** One sentence for one trace event: what a layer on a node did. */
export function describeEvent(event: TraceEvent, model: ModelId | LayerModel = 'tcpip-5', dissectors?: DissectorRegistry): string {
  const m = typeof model === 'object' ? model : getModel(model);
  const who = `${layerName(m, event)} (${event.protocol.toUpperCase()})`;
  const on = event.iface ? ` on ${event.iface}` : '';
  let what: string;
  switch (event.kind) {
    case 'pdu': {
      const summary = event.text;
      const verb = event.direction === 'down' ? 'sent' : event.direction === 'up' ? 'received' : 'forwarded';
      what = `${who} ${verb} ${summary}${on}${event.retransmission ? ' (retransmission)' : ''}`;
      break;
    }
    case 'frame': {
      const body = frameBody(dissect(event, dissectors), { brief: true });
      what =
        event.action === 'tx'
          ? `${who} put a ${event.bytes.length}-byte frame on the wire${on}: ${body}`
          : event.action === 'rx'
            ? `${who} took a ${event.bytes.length}-byte frame off the wire${on}: ${body}`
            : `the medium ${event.action} a ${event.bytes.length}-byte frame${on}${event.detail ? ` (${event.detail})` : ''}: ${body}`;
      break;
    }
    case 'drop':
      what = `${who} dropped ${event.length} bytes${on}: ${event.reason}${event.detail ? ` (${event.detail})` : ''}`;
      break;
    case 'state':
      what = `${who} ${event.entity}: ${event.from} -> ${event.to}${event.cause ? ` (${event.cause})` : ''}`;
      break;
    case 'timer':
      what = `${who} ${event.action === 'set' ? 'set' : event.action === 'fired' ? 'fired' : 'cancelled'} the ${event.timer} timer${event.entity ? ` of ${event.entity}` : ''}${event.duration !== undefined ? ` (${formatDuration(event.duration)})` : ''}`;
      break;
    case 'metric':
      what = `${who}${event.entity ? ` ${event.entity}` : ''}: ${Object.entries(event.values).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`;
      break;
    case 'note':
      what = `${who}: ${event.message}`;
      break;
  }
  return `at ${formatSeconds(event.time)} s, on node ${event.node}, ${what}`;
}

/**
 * Advances a simulation one scheduler event at a time.
 *
 *   const stepper = new Stepper(net);
 *   for (let s = stepper.next(); s; s = stepper.next()) console.log(s.lines.join('\n'));
 */
export class Stepper {
  private readonly model: LayerModel;
  private readonly dissectors: DissectorRegistry | undefined;
  private readonly buffer: TraceEvent[] = [];
  private readonly listener = (event: TraceEvent): void => {
    this.buffer.push(event);
  };
  private count = 0;
  private attached = true;

  constructor(
    private readonly sim: SimulationLike,
    options: StepperOptions = {},
  ) {
    this.model = typeof options.model === 'object' ? options.model : getModel(options.model ?? 'tcpip-5');
    this.dissectors = options.dissectors;
    sim.trace.on('event', this.listener);
  }

  /** Scheduler events run through this stepper so far. */
  get steps(): number {
    return this.count;
  }

  /** Whether the scheduler has nothing left to run. */
  get idle(): boolean {
    return this.sim.scheduler.nextEventTime() === undefined;
  }

  /** Run exactly one scheduler event; undefined when the simulation is idle. */
  step(): StepReport | undefined {
    this.buffer.length = 0;
    if (!this.sim.scheduler.step()) return undefined;
    this.count++;
    const events = [...this.buffer];
    this.buffer.length = 0;
    return { step: this.count, time: this.sim.scheduler.now(), events, lines: events.map((e) => describeEvent(e, this.model, this.dissectors)) };
  }

  /** Run scheduler events until one publishes a trace event (quiet ones are skipped); undefined when idle. */
  next(maxQuiet = 100_000): StepReport | undefined {
    for (let i = 0; i < maxQuiet; i++) {
      const report = this.step();
      if (report === undefined || report.events.length > 0) return report;
    }
    return undefined;
  }

  /** Up to `maxSteps` telling steps (quiet ones skipped), until idle. */
  run(maxSteps = Number.POSITIVE_INFINITY): StepReport[] {
    const out: StepReport[] = [];
    while (out.length < maxSteps) {
      const report = this.next();
      if (report === undefined) break;
      out.push(report);
    }
    return out;
  }

  /** Stop listening to the trace bus. */
  detach(): void {
    if (!this.attached) return;
    this.sim.trace.off('event', this.listener);
    this.attached = false;
  }
}

/**
 * Group the events of a run someone else drives into steps, by the scheduler event that
 * was running when each was published. Returns a handle whose `steps()` lists them.
 */
export function recordSteps(sim: SimulationLike, options: StepperOptions = {}): { steps(): StepReport[]; detach(): void } {
  const model = typeof options.model === 'object' ? options.model : getModel(options.model ?? 'tcpip-5');
  const tagged: { step: number; event: TraceEvent }[] = [];
  const listener = (event: TraceEvent): void => {
    tagged.push({ step: sim.scheduler.executedCount, event });
  };
  sim.trace.on('event', listener);
  return {
    steps(): StepReport[] {
      const out: StepReport[] = [];
      for (const { step, event } of tagged) {
        const last = out[out.length - 1];
        if (last !== undefined && last.step === step) {
          (last.events as TraceEvent[]).push(event);
          (last.lines as string[]).push(describeEvent(event, model, options.dissectors));
        } else {
          out.push({ step, time: event.time, events: [event], lines: [describeEvent(event, model, options.dissectors)] });
        }
      }
      return out;
    },
    detach(): void {
      sim.trace.off('event', listener);
    },
  };
}
