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

/**
 * @internal Puts each name on the subscriber connection of the master that owns its slot, with
 * at most one connection per node and family, opened on first use and dropped once idle.
 */
export class SubscriptionRouter {
  readonly status$ = new Subject<NodeStatusEvent>();
  private readonly subscribers = new Map<string, NodeSubscriber>();

  constructor(
    private readonly topology: ClusterTopology,
    private readonly redisOptions: RedisOptions,
  ) {}

  /** Routes one name; the topology must be ready. */
  attach(kind: SubscriptionKind, ref: NameRef, sink: SubscriptionSink): Attachment {
    const slot = keySlot(ref.bytes);
    const subscriber = this.subscriberFor(this.topology.ownerOf(slot), familyOf(kind));
    subscriber.attach(kind, ref, slot, sink);
    return { detach: () => subscriber.detach(kind, ref.key, sink) };
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
    for (const subscriber of [...this.subscribers.values()]) subscriber.close();
    this.subscribers.clear();
    this.status$.complete();
  }

  private subscriberFor(node: string, family: ConnectionFamily): NodeSubscriber {
    const id = `${node}/${family}`;
    let subscriber = this.subscribers.get(id);
    if (!subscriber) {
      const created: NodeSubscriber = new NodeSubscriber(node, family, {
        redisOptions: this.redisOptions,
        onStatus: (event) => this.status$.next({ ...event, node, family, at: Date.now() }),
        onIdle: () => {
          if (this.subscribers.get(id) === created) this.subscribers.delete(id);
        },
        onSlotMoved: () => void this.topology.refresh(),
      });
      subscriber = created;
      this.subscribers.set(id, subscriber);
    }
    return subscriber;
  }
}

function familyOf(kind: SubscriptionKind): ConnectionFamily {
  return kind === 'shard' ? 'sharded' : 'classic';
}
