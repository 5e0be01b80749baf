import { Observable } from 'rxjs';
import type { ClusterTopology } from './cluster-topology';
import type { NameRef } from './names';
import type { PubSubMessage, SubscriptionKind } from './pubsub-message';
import { attachTeardown } from './rxjs-teardown';
import { hashKey, NameTable } from './name-table';
import { SharedName, StreamObserver, type SharedNameHost } from './shared-name';
import type { Membership, StreamOptions, StreamTarget } from './stream-options';
import type { SubscriptionRouter } from './subscription-router';

/**
 * @internal One shared server subscription per (kind, name), however many observers: the first
 * observer routes the name to its node, the last one leaving detaches it. Messages go from the
 * socket's bytes to each observer's `next` with nothing in between: no per-message wrapper, no
 * operator chain; each message is decoded once per encoding and the result shared.
 */
export class StreamRegistry implements SharedNameHost {
  private readonly shared: Record<SubscriptionKind, NameTable<SharedName>> = {
    channel: new NameTable(),
    pattern: new NameTable(),
    shard: new NameTable(),
  };

  constructor(
    readonly topology: ClusterTopology,
    readonly router: SubscriptionRouter,
  ) {}

  /** A cold stream of one name: each subscriber joins its shared subscription. */
  stream(kind: SubscriptionKind, ref: NameRef, options: StreamOptions): Observable<PubSubMessage> {
    return new Observable<PubSubMessage>((subscriber) => {
      attachTeardown(subscriber, this.join(kind, ref, options, subscriber));
    });
  }

  /**
   * Joins the shared subscription of one name with `target` as its observer, without an
   * Observable in between (ClusterPubSub's path). Confirmations and messages go to `target`.
   * `options` is kept by the observer: pass a shared one (`streamOptions`).
   */
  join(kind: SubscriptionKind, ref: NameRef, options: StreamOptions, target: StreamTarget): Membership {
    const table = this.shared[kind];
    let name = table.get(ref.key, ref.keyHash);
    const fresh = name === undefined;
    if (!name) {
      name = new SharedName(this, kind, ref);
      table.add(name);
    }
    const observer = new StreamObserver(name, target, options);
    name.add(observer);
    if (fresh) name.place();
    return observer;
  }

  /** Completes every live stream (used by `close()`): observers see `complete`, not silence. */
  completeAll(): void {
    for (const table of Object.values(this.shared)) {
      for (const name of [...table.all()]) name.end(null);
    }
  }

  /** The shared subscription of (kind, key), if any observer holds one. */
  find(kind: SubscriptionKind, key: string): SharedName | undefined {
    return this.shared[kind].get(key, hashKey(key));
  }

  /** @internal Called by a name once its last observer left, or it ended. */
  forget(name: SharedName): void {
    this.shared[name.kind].delete(name);
  }
}
