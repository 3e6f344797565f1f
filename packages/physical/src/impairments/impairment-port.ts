// The base of every impairment: a PhyPort that wraps an `inner` PhyPort and changes what is
// transmitted through it (smoltcp's FaultInjector, netem's qdisc). Receiving, link state and
// capabilities pass straight through, so wrappers compose in any number and order.

import type { DropReason, FrameReceiver, NodeContext, PhyCapabilities, PhyPort, PhyPortStats } from '@netlayers/core';
import { interfaceNameOf, traceLostFrame } from '../trace.ts';

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

  /** Send `frame` to the inner port after `delay` ns (0: now, synchronously). */
  protected forwardAfter(delay: number, frame: Uint8Array): void {
    if (delay <= 0) this.inner.transmit(frame);
    else this.node.scheduler.schedule(delay, () => this.inner.transmit(frame));
  }
}
