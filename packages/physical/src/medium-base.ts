// What point-to-point links and hubs share: validated options, the ports attached so far,
// a Wire per port that applies the medium's impairments between the sender's capture point
// and delivery, and taking the medium down and up.

import { InvalidArgumentError, type DropReason, type Medium, type NodeContext, type PhyPort, type SimulationContext } from '@netlayers/core';
import { validateImpairments } from './impairments/options.ts';
import { MediumPort, type MediumSide } from './medium-port.ts';
import { Wire } from './wire.ts';
import { resolveMediumOptions, type MediumOptions, type PhysicalCapabilities, type ResolvedMediumOptions } from './options.ts';

export abstract class MediumBase implements Medium {
  readonly capabilities: PhysicalCapabilities;
  protected readonly resolved: ResolvedMediumOptions;
  protected readonly mediumPorts: MediumPort[] = [];
  private readonly wires = new Map<MediumPort, Wire>();
  private up = true;
  private readonly side: MediumSide = {
    carry: (from, frame) => this.wireOf(from).carry(frame),
    lose: (from, frame, reason, detail) => this.wireOf(from).lose(frame, reason, detail),
    drops: (from) => this.wires.get(from)?.drops ?? 0,
  };

  constructor(
    protected readonly sim: SimulationContext,
    options: MediumOptions,
  ) {
    this.resolved = resolveMediumOptions(options);
    if (this.resolved.impairments !== undefined) validateImpairments(this.resolved.impairments);
    this.capabilities = this.resolved.capabilities;
  }

  /** The name given in the options, or one made from the attached ports ("h1:eth0<->h2:eth0"). */
  get name(): string {
    return this.resolved.name ?? this.describe();
  }

  /** The ports attached so far, in attach order. */
  get ports(): readonly MediumPort[] {
    return this.mediumPorts;
  }

  get isUp(): boolean {
    return this.up;
  }

  attach(node: NodeContext, portName: string): PhyPort {
    if (node.scheduler !== this.sim.scheduler) {
      throw new InvalidArgumentError('node', node.name, `belongs to another simulation than ${this.name}`);
    }
    const port = new MediumPort(node, portName, this.capabilities, this.resolved.queueLimit, this.side, this.up);
    this.mediumPorts.push(port);
    return port;
  }

  /**
   * Take the whole medium down (false) or up (true). Going down loses every frame queued or
   * on the wire (each traced and counted as InterfaceDown); every port then reports the new
   * state to its onLinkChange listeners.
   */
  setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    const changed = this.mediumPorts.filter((port) => port.setCarrier(up));
    for (const port of changed) port.notifyLinkChange();
  }

  /** A default name when none was given. */
  protected abstract describe(): string;

  /** Deliver a frame from `from` that came through the medium (after its impairments). */
  protected abstract carry(from: MediumPort, frame: Uint8Array): void;

  /** The medium lost a frame from `from`: traced on the medium, counted on the sender. */
  protected loseFrom(from: MediumPort, frame: Uint8Array, reason: DropReason, detail: string): void {
    this.wireOf(from).lose(frame, reason, detail);
  }

  /** The wire of `from`, made when its first frame leaves (so the medium's name is complete). */
  private wireOf(from: MediumPort): Wire {
    let wire = this.wires.get(from);
    if (wire === undefined) {
      wire = new Wire(this, from.name, this.capabilities, from.node, this.resolved.impairments, (frame) => this.carry(from, frame));
      this.wires.set(from, wire);
    }
    return wire;
  }
}
