// What point-to-point links and hubs share: validated options, the ports attached so far,
// impairments applied to each port as it is attached, and taking the medium down and up.

import { InvalidArgumentError, type Medium, type NodeContext, type PhyPort, type SimulationContext } from '@netlayers/core';
import { impair } from './impairments/impair.ts';
import { validateImpairments } from './impairments/options.ts';
import { MediumPort } from './medium-port.ts';
import { resolveMediumOptions, type MediumOptions, type PhysicalCapabilities, type ResolvedMediumOptions } from './options.ts';

export abstract class MediumBase implements Medium {
  readonly capabilities: PhysicalCapabilities;
  protected readonly resolved: ResolvedMediumOptions;
  protected readonly mediumPorts: MediumPort[] = [];
  private up = true;

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

  /** The raw ports attached so far, in attach order (without impairment wrappers). */
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
    const port = new MediumPort(node, portName, this.capabilities, this.resolved.queueLimit, (from, frame) => this.carry(from, frame), this.up);
    this.mediumPorts.push(port);
    const impairments = this.resolved.impairments;
    return impairments === undefined ? port : impair(port, node, impairments);
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

  /** Deliver a frame whose last bit has propagated from `from`. */
  protected abstract carry(from: MediumPort, frame: Uint8Array): void;
}
