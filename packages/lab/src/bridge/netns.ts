// Linux network namespaces for what runs against the real kernel (the TAP and VXLAN tests,
// the examples, the kernel TCP benchmark): create one, run commands in it, move a link into
// it with an address, and remove it again. A thin layer over iproute2's `ip netns` and `ip
// link`; needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN). Commands throw an Error carrying their
// stderr when they fail, as execFileSync does.

import { execFileSync, spawn, type ChildProcessWithoutNullStreams, type SpawnOptionsWithoutStdio } from 'node:child_process';
import { InvalidArgumentError } from '@netlayers/core';

/** Run a command and return its stdout (stdin closed, stderr in the error if it fails). */
export function sh(command: string, ...args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run a command, ignoring failure (removing what may already be gone). Returns whether it succeeded. */
export function shQuiet(command: string, ...args: string[]): boolean {
  try {
    sh(command, ...args);
    return true;
  } catch {
    return false;
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    throw new InvalidArgumentError('name', name, 'must be 1 to 64 letters, digits, dots, dashes or underscores, not starting with a dot or dash');
  }
}

/** A network namespace made by NetNamespace.create; remove it with remove(). */
export class NetNamespace {
  private constructor(readonly name: string) {}

  /**
   * Create namespace `name` (a stale one of the same name, left by a killed run, is removed
   * first) and bring its loopback up.
   */
  static create(name: string): NetNamespace {
    checkName(name);
    shQuiet('ip', 'netns', 'del', name);
    sh('ip', 'netns', 'add', name);
    const ns = new NetNamespace(name);
    ns.exec('ip', 'link', 'set', 'lo', 'up');
    return ns;
  }

  /** A handle on namespace `name`, made earlier (by create, or by `ip netns add`). */
  static existing(name: string): NetNamespace {
    checkName(name);
    return new NetNamespace(name);
  }

  /** Run a command inside the namespace; returns its stdout. */
  exec(command: string, ...args: string[]): string {
    return sh('ip', 'netns', 'exec', this.name, command, ...args);
  }

  /** Start a command inside the namespace. */
  spawn(command: string, args: readonly string[] = [], options: SpawnOptionsWithoutStdio = {}): ChildProcessWithoutNullStreams {
    return spawn('ip', ['netns', 'exec', this.name, command, ...args], options);
  }

  /**
   * Move link `device` (a TAP, one end of a veth...) from the caller's namespace into this
   * one, give it `cidr` if any, and bring it up.
   */
  adoptLink(device: string, cidr?: string): void {
    sh('ip', 'link', 'set', device, 'netns', this.name);
    this.configureLink(device, cidr);
  }

  /** Give a link already in this namespace `cidr` (if any) and bring it up. */
  configureLink(device: string, cidr?: string): void {
    if (cidr !== undefined) this.exec('ip', 'addr', 'add', cidr, 'dev', device);
    this.exec('ip', 'link', 'set', device, 'up');
  }

  /**
   * A veth pair: `device` in this namespace, `peerDevice` in `peer` (another namespace, or
   * undefined for the caller's), each with its address if given, both up.
   */
  addVeth(device: string, cidr: string | undefined, peerDevice: string, peer: NetNamespace | undefined, peerCidr?: string): void {
    const peerWhere = peer === undefined ? [] : ['netns', peer.name];
    sh('ip', 'link', 'add', device, 'netns', this.name, 'type', 'veth', 'peer', 'name', peerDevice, ...peerWhere);
    this.configureLink(device, cidr);
    if (peer !== undefined) peer.configureLink(peerDevice, peerCidr);
    else {
      if (peerCidr !== undefined) sh('ip', 'addr', 'add', peerCidr, 'dev', peerDevice);
      sh('ip', 'link', 'set', peerDevice, 'up');
    }
  }

  /** Remove the namespace (its links go with it); false if it was already gone. */
  remove(): boolean {
    return shQuiet('ip', 'netns', 'del', this.name);
  }
}
