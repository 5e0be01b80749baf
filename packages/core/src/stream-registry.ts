import { Observable } from 'rxjs';
import type { ClusterTopology } from './cluster-topology';
import type { NameRef } from './names';
import type { PubSubMessage, SubscriptionKind } from './pubsub-message';
import { attachTeardown } from './rxjs-teardown';
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
  private readonly shared: Record<SubscriptionKind, Map<string, SharedName>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
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
    const map = this.shared[kind];
    let name = map.get(ref.key);
    const fresh = name === undefined;
    if (!name) {
      name = new SharedName(this, kind, ref);
      map.set(ref.key, name);
    }
    const observer = new StreamObserver(name, target, options);
    name.add(observer);
    if (fresh) name.place();
    return observer;
  }

  /** Completes every live stream (used by `close()`): observers see `complete`, not silence. */
  completeAll(): void {
    for (const map of Object.values(this.shared)) {
      for (const name of [...map.values()]) name.end(null);
    }
  }

  /** The shared subscription of (kind, key), if any observer holds one. */
  find(kind: SubscriptionKind, key: string): SharedName | undefined {
    return this.shared[kind].get(key);
  }

  /** @internal Called by a name once its last observer left, or it ended. */
  forget(name: SharedName): void {
    const map = this.shared[name.kind];
    if (map.get(name.key) === name) map.delete(name.key);
  }
}
