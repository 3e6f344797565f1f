// The base of every impairment: a PhyPort that wraps an `inner` PhyPort and changes what is
// transmitted through it (smoltcp's FaultInjector, netem's qdisc). Receiving, link state and
// capabilities pass straight through, so wrappers compose in any number and order. A medium
// puts them on its wire, after the sender's capture point, with the medium as their `node`,
// so what they do ('lost', 'duplicated', 'corrupted', 'delayed' frame events) is traced on
// the medium; wrapped by hand around a port, they act (and trace) before that port.

import type { DropReason, FrameReceiver, NodeContext, PhyCapabilities, PhyPort, PhyPortStats } from '@netlayers/core';
import { interfaceNameOf, traceFrame, traceLostFrame } from '../trace.ts';

export abstract class ImpairmentPort implements PhyPort {
  /** The interface name frame events carry ("eth0"). */
  readonly iface: string;
  /** Frames this wrapper dropped (added to the inner port's `drops`). */
  protected dropped = 0;

  constructor(
    /** The port frames go to after this impairment. */
    readonly inner: PhyPort,
    /** The node whose scheduler times held frames and whose tracer records losses. */
    protected readonly node: NodeContext,
  ) {
    this.iface = interfaceNameOf(inner, node);
  }

  get name(): string {
    return this.inner.name;
  }

  get capabilities(): PhyCapabilities {
    return this.inner.capabilities;
  }

  get isUp(): boolean {
    return this.inner.isUp;
  }

  /** The inner port's counters, with this wrapper's drops added (a fresh snapshot each read). */
  get stats(): PhyPortStats {
    const inner = this.inner.stats;
    return { ...inner, drops: inner.drops + this.dropped };
  }

  abstract transmit(frame: Uint8Array): boolean;

  setReceiver(receiver: FrameReceiver | null): void {
    this.inner.setReceiver(receiver);
  }

  onLinkChange(listener: (up: boolean) => void): void {
    this.inner.onLinkChange(listener);
  }

  /** Drop `frame`: count it here and on the node, trace a drop and a 'lost' frame event. */
  protected lose(frame: Uint8Array, reason: DropReason, detail: string): void {
    this.dropped++;
    traceLostFrame(this.node, this.iface, reason, detail, frame);
  }

  /** Trace what this impairment did to a frame it let through ('duplicated', 'corrupted', 'delayed'). */
  protected traceDid(action: 'duplicated' | 'corrupted' | 'delayed', frame: Uint8Array, detail: string): void {
    traceFrame(this.node, this.iface, action, frame, detail);
  }

  /** Send `frame` to the inner port after `delay` ns (0: now, synchronously). */
  protected forwardAfter(delay: number, frame: Uint8Array): void {
    if (delay <= 0) this.inner.transmit(frame);
    else this.node.scheduler.schedule(delay, () => this.inner.transmit(frame));
  }
}
