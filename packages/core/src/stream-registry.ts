import { Observable, type Subscriber } from 'rxjs';
import type { ClusterTopology } from './cluster-topology';
import type { NameRef } from './names';
import type { PubSubMessage, SubscriptionKind } from './pubsub-message';
import { attachTeardown } from './rxjs-teardown';
import { hashBytes, hashKey, NameTable } from './name-table';
import { nameSource, SharedName, StreamObserver, type NameKey, type SharedNameHost } from './shared-name';
import type { Membership, StreamOptions, StreamTarget } from './stream-options';
import type { SubscriptionRouter } from './subscription-router';

/**
 * @internal The Observable of one name: what `fromChannel` and its siblings return. It keeps what
 * its subscribe function needs on itself, so a stream is one object rather than an Observable, a
 * closure and the closure's context (about 100 B of garbage per `fromChannel` call), and it is
 * its name's NameKey: a plain ASCII channel makes no NameRef at all.
 */
class NameStream extends Observable<PubSubMessage> implements NameKey {
  constructor(
    readonly registry: StreamRegistry,
    readonly kind: SubscriptionKind,
    readonly key: string,
    readonly keyHash: number,
    readonly slot: number,
    /** The validated name when it is kept besides its key (see nameSource); not `source`, which is rxjs's. */
    readonly ref: NameRef | undefined,
    readonly options: StreamOptions,
  ) {
    super(joinName as (this: Observable<PubSubMessage>, subscriber: Subscriber<PubSubMessage>) => void);
  }
}

/**
 * The subscribe function of every NameStream. rxjs 7 keeps the function given to the constructor
 * as the Observable's `_subscribe` and calls it as a method, so `this` is the stream; the check
 * turns a future rxjs that calls it otherwise into a clear error, not a silent stream.
 */
function joinName(this: unknown, subscriber: Subscriber<PubSubMessage>): void {
  if (!(this instanceof NameStream)) throw new Error('@cluster-pubsub/core: this rxjs does not call a subscribe function on its Observable');
  attachTeardown(subscriber, this.registry.joinKey(this.kind, this, this.ref, this.options, subscriber));
}

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
    return new NameStream(this, kind, ref.key, ref.keyHash, ref.slot, nameSource(kind, ref), options);
  }

  /**
   * The same for a plain ASCII channel (not a pattern) whose slot and key hash the caller read
   * with asciiKeySlot: the name is its own key, and nothing else is kept of it.
   */
  asciiChannelStream(kind: 'channel' | 'shard', name: string, slot: number, keyHash: number, options: StreamOptions): Observable<PubSubMessage> {
    return new NameStream(this, kind, name, keyHash, slot, undefined, options);
  }

  /**
   * Joins the shared subscription of one name with `target` as its observer, without an
   * Observable in between (ClusterPubSub's path). Confirmations and messages go to `target`.
   * `options` is kept by the observer: pass a shared one (`streamOptions`).
   */
  join(kind: SubscriptionKind, ref: NameRef, options: StreamOptions, target: StreamTarget): Membership {
    return this.joinKey(kind, ref, nameSource(kind, ref), options, target);
  }

  /** `join` by a name's key, with what is to be kept of the name besides it (see nameSource). */
  joinKey(kind: SubscriptionKind, key: NameKey, source: NameRef | undefined, options: StreamOptions, target: StreamTarget): Membership {
    const table = this.shared[kind];
    const name = table.get(key.key, key.keyHash);
    if (name === undefined) {
      // The first observer: the name is its membership.
      const fresh = new SharedName(this, kind, key, source, target, options);
      table.add(fresh);
      fresh.place();
      return fresh;
    }
    const observer = new StreamObserver(name, target, options);
    name.add(observer);
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

  /** The shared subscription whose key's chars are `bytes[start..end)` (a message's name). */
  findBytes(kind: SubscriptionKind, bytes: Buffer, start: number, end: number): SharedName | undefined {
    return this.shared[kind].getBytes(bytes, start, end, hashBytes(bytes, start, end));
  }

  /** @internal Called by a name once its last observer left, or it ended. */
  forget(name: SharedName): void {
    this.shared[name.kind].delete(name);
  }
}
