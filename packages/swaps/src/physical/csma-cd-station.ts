// One station on a CSMA/CD bus: the transmit side of the IEEE 802.3 MAC (clause 4.2.3.2 and
// the clause 4.2.8 procedures). 1-persistent carrier sense: defer while the carrier is on,
// then wait the inter-frame gap and send; on a collision send a 32-bit jam, then back off
// r slot times with r uniform in [0, 2^k) and k = min(attempt, 10); after 16 attempts the
// frame is dropped (excessive collisions).

import {
  DropReason,
  InvalidArgumentError,
  Tracer,
  type FrameReceiver,
  type NodeContext,
  type PhyCapabilities,
  type PhyPort,
  type PhyPortStats,
  type Random,
  type TimerHandle,
} from '@netlayers/core';

/** IEEE 802.3 clause 4.4.2 parameters (10 Mb/s values, in bit times). */
export const SLOT_TIME_BITS = 512;
export const INTERFRAME_GAP_BITS = 96;
export const JAM_SIZE_BITS = 32;
export const ATTEMPT_LIMIT = 16;
export const BACKOFF_LIMIT = 10;
/** Preamble (7) + start frame delimiter (1): sent before every frame, not delivered. */
export const PREAMBLE_BYTES = 8;

export const CSMA_CD_PROTOCOL = 'csma-cd';

/** Where the station is in the transmit procedure. */
export type StationState = 'idle' | 'deferring' | 'interframe-gap' | 'transmitting' | 'jamming' | 'backoff';

export interface CsmaCdStationStats {
  /** Collisions this station detected (each one ends an attempt with a jam). */
  collisions: number;
  /** Times this station found the carrier on and had to wait for it. */
  deferrals: number;
  /** Frames dropped after 16 attempts. */
  excessiveCollisionDrops: number;
  /** Frames that collided after their sender had finished (only when 2 * delay exceeds a slot). */
  lateCollisions: number;
}

/** A transmission on the bus: the carrier one station puts on it, frame and jam together. */
export interface Signal {
  readonly station: CsmaCdStation;
  readonly start: number;
  /** When the station stopped (Infinity while it is still sending). */
  end: number;
  readonly frame: Uint8Array;
}

/** What a station needs of its bus (implemented by CsmaCdBus). */
export interface SharedBus {
  /** The bus's name: what it does to frames (a late collision) is traced under it. */
  readonly name: string;
  readonly capabilities: PhyCapabilities;
  /** Whether `station` senses another station's carrier now. */
  carrierSensed(station: CsmaCdStation): boolean;
  /** When the carrier last went quiet at `station` (its own or another's), or -Infinity. */
  lastCarrierEnd(station: CsmaCdStation): number;
  startSignal(station: CsmaCdStation, frame: Uint8Array): Signal;
  /** The station stops sending; a complete frame (not jammed) is delivered if nothing overlapped it. */
  endSignal(signal: Signal, complete: boolean): void;
}

export class CsmaCdStation implements PhyPort {
  /** "h1:eth0". */
  readonly name: string;
  /** The interface name ("eth0"); frame events carry it as `iface`. */
  readonly iface: string;
  readonly stats: PhyPortStats = { txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, drops: 0 };
  readonly csmaStats: CsmaCdStationStats = { collisions: 0, deferrals: 0, excessiveCollisionDrops: 0, lateCollisions: 0 };
  private stateValue: StationState = 'idle';
  private readonly queue: Uint8Array[] = [];
  /** Attempts made for the frame at the head of the queue. */
  private attempts = 0;
  private signal: Signal | null = null;
  private timer: TimerHandle | null = null;
  private receiver: FrameReceiver | null = null;
  private readonly bitTime: number;

  constructor(
    readonly node: NodeContext,
    /** The name given to attach: "eth0", or already qualified as "h1:eth0". */
    portName: string,
    private readonly bus: SharedBus,
    private readonly queueLimit: number,
    private readonly random: Random,
  ) {
    const prefix = `${node.name}:`;
    this.iface = portName.startsWith(prefix) ? portName.slice(prefix.length) : portName;
    this.name = prefix + this.iface;
    this.bitTime = 1e9 / bus.capabilities.bitsPerSecond;
  }

  get capabilities(): PhyCapabilities {
    return this.bus.capabilities;
  }

  /** The bus is never taken down. */
  get isUp(): boolean {
    return true;
  }

  get state(): StationState {
    return this.stateValue;
  }

  /** Frames waiting, including the one being attempted. */
  get queueLength(): number {
    return this.queue.length;
  }

  transmit(frame: Uint8Array): boolean {
    if (!(frame instanceof Uint8Array)) throw new InvalidArgumentError('frame', frame, 'must be a Uint8Array');
    const max = this.bus.capabilities.maxFrameBytes;
    if (frame.length > max) return this.reject(frame, DropReason.TooBig, `${frame.length}-byte frame exceeds the ${max}-byte maximum`);
    if (this.queue.length > this.queueLimit) return this.reject(frame, DropReason.QueueFull, `transmit queue full (${this.queueLimit} frames waiting)`);
    this.queue.push(frame);
    if (this.stateValue === 'idle') this.tryToSend();
    return true;
  }

  setReceiver(receiver: FrameReceiver | null): void {
    this.receiver = receiver;
  }

  onLinkChange(_listener: (up: boolean) => void): void {
    // The bus never goes down, so there is nothing to report.
  }

  /** @internal Another station's carrier has reached this one. */
  carrierArrived(from: Signal): void {
    if (this.stateValue !== 'transmitting' || this.signal === null) return;
    this.collide(from);
  }

  /** @internal Some carrier has just gone quiet here: a deferring station looks again. */
  carrierDropped(): void {
    if (this.stateValue === 'deferring') this.tryToSend();
  }

  /** @internal A frame another station sent arrived intact. */
  deliver(frame: Uint8Array): void {
    this.stats.rxFrames++;
    this.stats.rxBytes += frame.length;
    this.traceFrame('rx', frame);
    this.receiver?.(frame);
  }

  /**
   * @internal This station's frame collided after it had finished sending: the station's
   * capture has it ('tx'), so the loss is the bus's, traced with the bus as the node and
   * this station ("h1:eth0") as the iface; it is counted on this node.
   */
  lateCollision(frame: Uint8Array): void {
    this.csmaStats.lateCollisions++;
    this.stats.drops++;
    const onBus = new Tracer(this.node.tracer.bus, this.node.scheduler, this.bus.name, this.node.counters);
    onBus.drop('physical', CSMA_CD_PROTOCOL, DropReason.Collision, 'late collision (after the frame was sent)', frame.length, { iface: this.name });
    onBus.frame('physical', 'phy', this.name, 'lost', frame, 'late collision');
  }

  /** Carrier sense, then either defer, wait out the inter-frame gap, or start sending. */
  private tryToSend(): void {
    const now = this.node.scheduler.now();
    if (this.bus.carrierSensed(this)) {
      if (this.stateValue !== 'deferring') {
        this.csmaStats.deferrals++;
        this.note('carrier sensed: deferring');
      }
      this.stateValue = 'deferring';
      return;
    }
    const gapEnds = this.bus.lastCarrierEnd(this) + Math.round(INTERFRAME_GAP_BITS * this.bitTime);
    if (gapEnds > now) {
      this.stateValue = 'interframe-gap';
      this.timer = this.node.scheduler.scheduleAt(gapEnds, () => {
        this.timer = null;
        this.tryToSend();
      });
      return;
    }
    this.startTransmission();
  }

  private startTransmission(): void {
    const frame = this.queue[0]!;
    this.attempts++;
    if (this.attempts === 1) {
      this.stats.txFrames++;
      this.stats.txBytes += frame.length;
      this.traceFrame('tx', frame);
    }
    this.stateValue = 'transmitting';
    this.signal = this.bus.startSignal(this, frame);
    const duration = Math.round((frame.length + PREAMBLE_BYTES) * 8 * this.bitTime);
    this.timer = this.node.scheduler.schedule(duration, () => {
      this.timer = null;
      const signal = this.signal!;
      this.signal = null;
      this.bus.endSignal(signal, true);
      this.finishFrame();
    });
  }

  private collide(with_: Signal): void {
    this.timer?.cancel();
    this.csmaStats.collisions++;
    this.stateValue = 'jamming';
    this.note(`collision with ${with_.station.name} on attempt ${this.attempts}: sending a ${JAM_SIZE_BITS}-bit jam`);
    this.timer = this.node.scheduler.schedule(Math.round(JAM_SIZE_BITS * this.bitTime), () => {
      this.timer = null;
      const signal = this.signal!;
      this.signal = null;
      this.bus.endSignal(signal, false);
      this.backOff();
    });
  }

  /** Truncated binary exponential backoff, or give up after ATTEMPT_LIMIT attempts. */
  private backOff(): void {
    const frame = this.queue[0]!;
    if (this.attempts >= ATTEMPT_LIMIT) {
      this.csmaStats.excessiveCollisionDrops++;
      this.stats.drops++;
      const detail = `excessive collisions: gave up after ${ATTEMPT_LIMIT} attempts`;
      this.node.tracer.drop('physical', CSMA_CD_PROTOCOL, DropReason.Collision, detail, frame.length, { iface: this.iface });
      this.traceFrame('lost', frame, detail);
      this.finishFrame();
      return;
    }
    const k = Math.min(this.attempts, BACKOFF_LIMIT);
    const slots = this.random.int(0, 2 ** k - 1);
    const wait = Math.round(slots * SLOT_TIME_BITS * this.bitTime);
    this.stateValue = 'backoff';
    if (this.node.tracer.active) {
      this.note(`backoff: ${slots} of 0..${2 ** k - 1} slot times (attempt ${this.attempts}, k=${k})`);
      this.node.tracer.emit({ kind: 'metric', role: 'physical', protocol: CSMA_CD_PROTOCOL, iface: this.iface, entity: this.name, values: { attempt: this.attempts, k, slots, backoffNs: wait } });
    }
    this.timer = this.node.scheduler.schedule(wait, () => {
      this.timer = null;
      this.tryToSend();
    });
  }

  /** The head frame is done (sent or dropped): move on to the next one. */
  private finishFrame(): void {
    this.queue.shift();
    this.attempts = 0;
    this.stateValue = 'idle';
    if (this.queue.length > 0) this.tryToSend();
  }

  private reject(frame: Uint8Array, reason: DropReason, detail: string): false {
    this.stats.drops++;
    this.node.tracer.drop('physical', CSMA_CD_PROTOCOL, reason, detail, frame.length, { iface: this.iface });
    this.traceFrame('lost', frame, detail);
    return false;
  }

  /** tx when the first attempt starts (the capture point sees a frame once, however often it collides), rx on delivery, lost when this station gives up or refuses it. */
  private traceFrame(action: 'tx' | 'rx' | 'lost', bytes: Uint8Array, detail?: string): void {
    this.node.tracer.frame('physical', 'phy', this.iface, action, bytes, detail);
  }

  private note(message: string): void {
    if (!this.node.tracer.active) return;
    this.node.tracer.emit({ kind: 'note', role: 'physical', protocol: CSMA_CD_PROTOCOL, iface: this.iface, entity: this.name, message });
  }
}
