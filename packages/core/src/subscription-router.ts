import type { RedisOptions } from 'ioredis';
import { Subject } from 'rxjs';
import type { ClusterTopology } from './cluster-topology';
import { keySlot } from './key-slot';
import type { NameRef } from './names';
import { NodeSubscriber, type SubscriptionSink } from './node-subscriber';
import type { ConnectionFamily, NodeStatusEvent } from './node-status';
import type { SubscriptionKind } from './pubsub-message';

/** @internal A routed subscription: detach it to let its node unsubscribe. */
export interface Attachment {
  detach(): void;
}

/** How recovery from faults behaves; see `RedisClusterOptions.recovery`. */
export interface RecoveryOptions {
  /** How long a subscription may stay unrestored before its observers get a ConnectionLostError. Default 30,000 ms. */
  readonly maxWaitMs?: number;
  /** How often the slot map is asked for again while a connection is down. Default 500 ms. */
  readonly refreshIntervalMs?: number;
}

interface Route {
  readonly kind: SubscriptionKind;
  readonly ref: NameRef;
  readonly slot: number;
  readonly sink: SubscriptionSink;
  subscriber: NodeSubscriber;
}

/**
 * @internal Puts each name on the subscriber connection of the master that owns its slot, with
 * at most one connection per node and family, opened on first use and dropped once idle. When
 * the slot map changes, sharded names follow their slot, and classic names follow it once their
 * node is no longer a live master. A moving name leaves the old node before it joins the new one,
 * so no message can arrive twice through both.
 */
export class SubscriptionRouter {
  readonly status$ = new Subject<NodeStatusEvent>();
  private readonly subscribers = new Map<string, NodeSubscriber>();
  private readonly routes = new Map<string, Route>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly maxWaitMs: number;
  private readonly refreshIntervalMs: number;

  constructor(
    private readonly topology: ClusterTopology,
    private readonly redisOptions: RedisOptions,
    recovery: RecoveryOptions = {},
  ) {
    this.maxWaitMs = recovery.maxWaitMs ?? 30_000;
    this.refreshIntervalMs = recovery.refreshIntervalMs ?? 500;
    topology.onRefresh(() => this.rehome());
  }

  /** Routes one name; the topology must be ready. */
  attach(kind: SubscriptionKind, ref: NameRef, sink: SubscriptionSink): Attachment {
    const slot = keySlot(ref.bytes);
    const id = kind[0] + ref.key;
    const subscriber = this.subscriberFor(this.topology.ownerOf(slot), familyOf(kind));
    const route: Route = { kind, ref, slot, sink, subscriber };
    this.routes.set(id, route);
    subscriber.attach(kind, ref, slot, sink);
    return {
      detach: () => {
        if (this.routes.get(id) === route) this.routes.delete(id);
        route.subscriber.detach(kind, ref.key, sink);
      },
    };
  }

  /** Open subscriber connections, by node and family (`host:port/classic`). */
  get connections(): string[] {
    return [...this.subscribers.keys()];
  }

  /** Resolves once every connection has sent and had confirmed all it was asked to. */
  async whenSettled(): Promise<void> {
    await Promise.all([...this.subscribers.values()].map((s) => s.whenSettled()));
  }

  async ping(): Promise<void> {
    await Promise.all([...this.subscribers.values()].map((s) => s.ping()));
  }

  close(): void {
    this.stopRefreshing();
    for (const subscriber of [...this.subscribers.values()]) subscriber.close();
    this.subscribers.clear();
    this.routes.clear();
    this.status$.complete();
  }

  /** Moves every name whose slot is now served by another master. */
  rehome(): void {
    const moved = new Map<NodeSubscriber, Route[]>();
    for (const route of this.routes.values()) {
      let owner: string;
      try {
        owner = this.topology.ownerOf(route.slot);
      } catch {
        continue; // slot uncovered for now: stay, and let recovery time out if it never returns
      }
      if (owner === route.subscriber.node) continue;
      // Classic pub/sub is broadcast to every node: while the old node is a live master, a move
      // could only lose or double messages. Classic names move when their node stops being a
      // master (failover, death); sharded names must follow their slot.
      if (route.kind !== 'shard' && this.topology.isMaster(route.subscriber.node) && !route.subscriber.isRestoring) {
        continue;
      }
      const list = moved.get(route.subscriber) ?? [];
      list.push(route);
      moved.set(route.subscriber, list);
    }
    for (const [from, list] of moved) {
      // Leave first, then join: a channel is never subscribed through two nodes at once, so the
      // cluster bus cannot hand one message to us twice.
      for (const route of list) from.detach(route.kind, route.ref.key, route.sink);
      this.emit(from.node, from.family, {
        type: 'moved',
        names: list.map((r) => ({ kind: r.kind, name: r.ref.bytes.toString('utf8') })),
      });
      for (const route of list) {
        route.subscriber = this.subscriberFor(this.topology.ownerOf(route.slot), from.family);
        route.subscriber.attach(route.kind, route.ref, route.slot, route.sink, true);
      }
    }
  }

  private subscriberFor(node: string, family: ConnectionFamily): NodeSubscriber {
    const id = `${node}/${family}`;
    let subscriber = this.subscribers.get(id);
    if (!subscriber) {
      const created: NodeSubscriber = new NodeSubscriber(node, family, {
        redisOptions: this.redisOptions,
        maxWaitMs: this.maxWaitMs,
        onStatus: (event) => {
          this.emit(node, family, event);
          if (event.type === 'lost') this.startRefreshing();
        },
        onIdle: () => {
          if (this.subscribers.get(id) === created) this.subscribers.delete(id);
        },
        onGaveUp: (keys) => {
          for (const { kind, key } of keys) {
            const route = this.routes.get(kind[0] + key);
            if (route?.subscriber === created) this.routes.delete(kind[0] + key);
          }
        },
        onSlotMoved: () => void this.topology.refresh(),
      });
      subscriber = created;
      this.subscribers.set(id, subscriber);
    }
    return subscriber;
  }

  /** While a connection is down, keep asking for the slot map: a failover shows up there. */
  private startRefreshing(): void {
    if (this.refreshTimer) return;
    void this.topology.refresh();
    this.refreshTimer = setInterval(() => {
      if (![...this.subscribers.values()].some((s) => s.isRestoring)) return this.stopRefreshing();
      void this.topology.refresh();
    }, this.refreshIntervalMs);
    this.refreshTimer.unref();
  }

  private stopRefreshing(): void {
    clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private emit(node: string, family: ConnectionFamily, event: Omit<NodeStatusEvent, 'node' | 'family' | 'at'>): void {
    this.status$.next({ ...event, node, family, at: Date.now() });
  }
}

function familyOf(kind: SubscriptionKind): ConnectionFamily {
  return kind === 'shard' ? 'sharded' : 'classic';
}
