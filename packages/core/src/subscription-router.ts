import type { RedisOptions } from 'ioredis';
import { Subject } from 'rxjs';
import type { ClusterTopology } from './cluster-topology';
import { keySlot } from './key-slot';
import { NodeSubscriber, type RoutedName } from './node-subscriber';
import type { NameLookup } from './message-view';
import { statusNames, type NodeStatusEvent } from './node-status';
import { ConnectionLostError } from './errors';
import { PendingJoins } from './pending-joins';
import { SettleSignal } from './settle-signal';

/** How recovery from faults behaves; see `RedisClusterOptions.recovery`. */
export interface RecoveryOptions {
  /** How long a subscription may stay unrestored before its observers get a ConnectionLostError. Default 30,000 ms. */
  readonly maxWaitMs?: number;
  /** How often the slot map is asked for again while a connection is down. Default 500 ms. */
  readonly refreshIntervalMs?: number;
  /**
   * How long a classic name that leaves a node it is still connected to waits before it joins
   * its new node (a sharded one too, when that node is no longer master: a failover). Default
   * 250 ms. A message that node delivered may still be crossing the cluster bus (Redis 7.0 sends
   * it without `TCP_NODELAY`) and would reach the new node's subscription a second time; waiting
   * turns that duplicate into a gap in the handover.
   */
  readonly handoverDelayMs?: number;
  /**
   * How often each subscriber connection is checked for life (a PING; any data counts as an
   * answer). Default 15,000 ms; 0 turns it off. A connection that stays silent for a whole
   * interval after its PING (a frozen node, a TCP connection dropped by a NAT or firewall without
   * a reset) is treated as lost: it is reopened and its subscriptions restored, or their
   * observers get a ConnectionLostError after `maxWaitMs`. Without it, such a connection would
   * go quiet for good.
   */
  readonly healthCheckIntervalMs?: number;
}

/**
 * How long after names left a node for not being master a slot map naming it master again is
 * doubted (see rehome). A real failback within it waits until it is over; the map is looked at
 * again every refresh interval meanwhile.
 */
const DEMOTION_DOUBT_MS = 3000;

/**
 * @internal Puts each name on the subscriber connection of the master that owns its slot, with
 * at most one connection per node, opened on first use and dropped once idle. When
 * the slot map changes, sharded names follow their slot, and classic names follow it once their
 * node is no longer a live master. A moving name leaves the old node before it joins the new one,
 * so no message can arrive twice through both.
 */
export class SubscriptionRouter {
  readonly status$ = new Subject<NodeStatusEvent>();
  /** The open connections, by node (`host:port`, as the slot map names it). */
  private readonly subscribers = new Map<string, NodeSubscriber>();
  private refreshTimer: NodeJS.Timeout | undefined;
  /** Nodes that names left because they were no longer master, by when (see rehome). */
  private readonly demoted = new Map<string, number>();
  /** The refresh asked for after rehome doubted a slot map, if one is due. */
  private lookAgain: NodeJS.Timeout | undefined;
  private readonly maxWaitMs: number;
  private readonly refreshIntervalMs: number;
  private readonly handoverDelayMs: number;
  private readonly healthCheckIntervalMs: number;
  /** Released at the first moment nothing is pending and every connection is settled. */
  private readonly settled = new SettleSignal(() => this.isSettled());
  private readonly pending = new PendingJoins<RoutedName>(() => this.settled.check());

  constructor(
    private readonly topology: ClusterTopology,
    private readonly redisOptions: RedisOptions,
    recovery: RecoveryOptions = {},
    /** The names registered, wherever they are placed (the stream registry's). */
    private readonly names: NameLookup<RoutedName>,
  ) {
    this.maxWaitMs = recovery.maxWaitMs ?? 30_000;
    this.refreshIntervalMs = recovery.refreshIntervalMs ?? 500;
    this.handoverDelayMs = recovery.handoverDelayMs ?? 250;
    this.healthCheckIntervalMs = recovery.healthCheckIntervalMs ?? 15_000;
    topology.onRefresh(() => this.rehome());
  }

  /** Places one name on its slot owner's connection; the topology must be ready. */
  attach(name: RoutedName): void {
    const slot = name.slot >= 0 ? name.slot : keySlot(name.wire);
    const subscriber = this.subscriberFor(this.topology.ownerOf(slot));
    name.slot = slot;
    subscriber.attach(name);
  }

  /** Lets the name's node unsubscribe it. */
  detach(name: RoutedName): void {
    this.pending.cancel(name);
    name.home?.detach(name);
  }

  /** Open subscriber connections, by node (`host:port`). */
  get connections(): string[] {
    return [...this.subscribers.keys()];
  }

  /**
   * Resolves at the first moment when every connection has sent and had confirmed all it was
   * asked to, and no moving name waits to join its new node.
   */
  whenSettled(): Promise<void> {
    return this.settled.wait();
  }

  async ping(): Promise<void> {
    await Promise.all(this.all().map((s) => s.ping()));
  }

  close(): void {
    this.stopRefreshing();
    clearTimeout(this.lookAgain);
    this.lookAgain = undefined;
    this.pending.clear();
    for (const subscriber of this.all()) subscriber.close();
    this.subscribers.clear();
    this.settled.check();
    this.status$.complete();
  }

  /** Moves every name whose slot is now served by another master. */
  rehome(): void {
    const now = Date.now();
    let doubted = false;
    // Per node left: the names leaving it, and whether it is no longer master (a failover).
    const moved = new Map<NodeSubscriber, { list: RoutedName[]; demoted: boolean }>();
    for (const from of this.all()) {
      // Classic pub/sub is broadcast to every node: while the old node is a live master, a move
      // could only lose or double messages. Classic names move when their node stops being a
      // master (failover, death) or their connection must be restored anyway; sharded names
      // must follow their slot.
      const fromIsMaster = this.topology.isMaster(from.node);
      const classicStays = fromIsMaster && !from.isReconnecting;
      const list: RoutedName[] = [];
      for (const name of from.attached()) {
        if (classicStays && name.kind !== 'shard') continue;
        let owner: string;
        try {
          owner = this.topology.ownerOf(name.slot);
        } catch {
          continue; // slot uncovered for now: stay, and let recovery time out if it never returns
        }
        if (owner === from.node) continue;
        // Named master again moments after its names left it for not being one: most likely a
        // refresh read a node that has not heard of the failover yet (seen in S8, 0.8 s after
        // it). Going back would cost two moves, each with its handover gap: stay, look again.
        if (this.recentlyDemoted(owner, now)) {
          doubted = true;
          continue;
        }
        list.push(name);
      }
      if (list.length > 0) {
        moved.set(from, { list, demoted: !fromIsMaster });
        if (!fromIsMaster) this.demoted.set(from.node, now);
      }
    }
    if (doubted) this.lookAgainSoon();
    for (const [from, { list, demoted }] of moved) {
      // Leave first, then join: a channel is never subscribed through two nodes at once. A
      // classic name leaving a live connection also waits for the bus (see handoverDelayMs), and
      // so does a sharded one leaving a live node that is no longer master (a failover; in a
      // migration the old owner stays master): Redis 7.0 hands sharded messages to the shard's
      // replicas over the bus too, so a message the old master delivered may still be on its way
      // to the new one (a duplicate, seen in S8).
      const wait = from.isOpen ? this.handoverDelayMs : 0;
      for (const name of list) from.detach(name);
      this.emit(from.node, { type: 'moved', names: statusNames(list) });
      const delayed: RoutedName[] = [];
      for (const name of list) {
        if (wait > 0 && (name.kind !== 'shard' || demoted)) delayed.push(name);
        else this.join(name, Date.now());
      }
      if (delayed.length > 0) this.pending.schedule(delayed, wait, (name) => this.join(name, Date.now()));
    }
  }

  /**
   * Sharded names that `from` answered with MOVED join the node the reply names, which may be
   * ahead of the slot map (a refresh is under way). Should a later refresh still show the old
   * owner, `rehome` sends them back, the old owner answers MOVED again, and they return here.
   */
  private redirect(from: string, names: RoutedName[], address: string): void {
    this.emit(from, { type: 'moved', names: statusNames(names) });
    const to = this.subscriberFor(this.topology.nodeKeyOf(address));
    for (const name of names) to.attach(name, true);
  }

  /** Whether names left `node` for not being master less than DEMOTION_DOUBT_MS before `now`. */
  private recentlyDemoted(node: string, now: number): boolean {
    const at = this.demoted.get(node);
    if (at === undefined) return false;
    if (now - at < DEMOTION_DOUBT_MS) return true;
    this.demoted.delete(node);
    return false;
  }

  /** A refresh a refresh interval from now (once, however often asked), so a doubted map is looked at again. */
  private lookAgainSoon(): void {
    if (this.lookAgain) return;
    this.lookAgain = setTimeout(() => {
      this.lookAgain = undefined;
      void this.topology.refresh();
    }, this.refreshIntervalMs);
    this.lookAgain.unref();
  }

  /** Places a moving name on its slot's owner; while the slot is uncovered, tries again later. */
  private join(name: RoutedName, since: number): void {
    let owner: string;
    try {
      owner = this.topology.ownerOf(name.slot);
    } catch {
      if (Date.now() - since < this.maxWaitMs) {
        this.pending.schedule([name], this.refreshIntervalMs, (again) => this.join(again, since));
      } else {
        name.error(new ConnectionLostError(`no node serves slot ${name.slot} after ${this.maxWaitMs} ms`));
      }
      return;
    }
    this.subscriberFor(owner).attach(name, true);
  }

  private subscriberFor(node: string): NodeSubscriber {
    const nodes = this.subscribers;
    let subscriber = nodes.get(node);
    if (!subscriber) {
      const created: NodeSubscriber = new NodeSubscriber(node, {
        redisOptions: this.redisOptions,
        maxWaitMs: this.maxWaitMs,
        healthCheckIntervalMs: this.healthCheckIntervalMs,
        onStatus: (event) => {
          this.emit(node, event);
          if (event.type === 'lost') this.startRefreshing();
        },
        onIdle: () => {
          if (nodes.get(node) === created) nodes.delete(node);
          this.settled.check();
        },
        onSettled: () => this.settled.check(),
        onSlotMoved: () => void this.topology.refresh(),
        onRedirected: (names, address) => this.redirect(node, names, address),
        names: this.names,
      });
      subscriber = created;
      nodes.set(node, subscriber);
    }
    return subscriber;
  }

  private isSettled(): boolean {
    if (this.pending.size > 0) return false;
    for (const subscriber of this.subscribers.values()) if (!subscriber.isSettled) return false;
    return true;
  }

  /** Every open connection. */
  private all(): NodeSubscriber[] {
    return [...this.subscribers.values()];
  }

  /** While a connection is down, keep asking for the slot map: a failover shows up there. */
  private startRefreshing(): void {
    if (this.refreshTimer) return;
    void this.topology.refresh();
    this.refreshTimer = setInterval(() => {
      if (!this.all().some((s) => s.isRestoring)) return this.stopRefreshing();
      void this.topology.refresh();
    }, this.refreshIntervalMs);
    this.refreshTimer.unref();
  }

  private stopRefreshing(): void {
    clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private emit(node: string, event: Omit<NodeStatusEvent, 'node' | 'at'>): void {
    this.status$.next({ ...event, node, at: Date.now() });
  }
}
