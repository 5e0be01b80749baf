import { Observable } from 'rxjs';
import type { ClusterTopology } from './cluster-topology';
import type { NameRef } from './names';
import type { NodeSubscriber, RoutedName } from './node-subscriber';
import {
  MESSAGE_TYPES,
  type Encoding,
  type PubSubMessage,
  type SubscriptionKind,
} from './pubsub-message';
import type { SubscriptionRouter } from './subscription-router';

/** @internal Who receives one observer's events: an rxjs Subscriber, or ClusterPubSub's own. */
export interface StreamTarget {
  next(message: PubSubMessage): void;
  error(error: unknown): void;
  complete(): void;
}

/** @internal One observer's membership of a shared name: unsubscribe to leave. */
export interface Membership {
  unsubscribe(): void;
}

/** @internal What one observer wants from a shared subscription. */
export interface StreamOptions {
  readonly encoding: Encoding;
  /** When false, the stream starts with a `subscribe` message once the server confirmed it. */
  readonly ignoreSubscribeMessages: boolean;
}

/**
 * @internal One shared server subscription per (kind, name), however many observers: the first
 * observer routes the name to its node, the last one leaving detaches it. Messages go from the
 * socket's bytes to each observer's `next` with nothing in between: no per-message wrapper, no
 * operator chain; each message is decoded once per encoding and the result shared.
 */
export class StreamRegistry {
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
    return new Observable<PubSubMessage>((subscriber) => this.join(kind, ref, options, subscriber));
  }

  /**
   * Joins the shared subscription of one name with `target` as its observer, without an
   * Observable in between (ClusterPubSub's path). Confirmations and messages go to `target`.
   */
  join(kind: SubscriptionKind, ref: NameRef, options: StreamOptions, target: StreamTarget): Membership {
    const map = this.shared[kind];
    let name = map.get(ref.key);
    const fresh = name === undefined;
    if (!name) {
      name = new SharedName(this, kind, ref);
      map.set(ref.key, name);
    }
    const observer = new StreamObserver(name, target, options.encoding, !options.ignoreSubscribeMessages);
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

  /** @internal Called by a name once its last observer left, or it ended. */
  forget(name: SharedName): void {
    const map = this.shared[name.kind];
    if (map.get(name.ref.key) === name) map.delete(name.ref.key);
  }
}

/**
 * @internal One observer of a shared name. It is also the teardown rxjs calls on unsubscribe, so
 * joining costs one small object and no closure.
 */
class StreamObserver implements Membership {
  constructor(
    readonly name: SharedName,
    readonly target: StreamTarget,
    readonly encoding: Encoding,
    readonly confirmations: boolean,
  ) {}

  unsubscribe(): void {
    this.name.remove(this);
  }
}

/** @internal The shared subscription of one (kind, name): what the router places on a node. */
class SharedName implements RoutedName {
  slot = -1;
  home: NodeSubscriber | undefined = undefined;
  /** Replaced, never mutated, so a delivery loop is not disturbed by observers leaving. */
  private observers: readonly StreamObserver[] = [];
  private count = -1; // the server's count at confirmation; -1 until confirmed
  private ended = false;

  constructor(
    private readonly registry: StreamRegistry,
    readonly kind: SubscriptionKind,
    readonly ref: NameRef,
  ) {}

  add(observer: StreamObserver): void {
    this.observers = this.observers.concat(observer); // sized exactly: most names have one observer
    if (this.count >= 0 && observer.confirmations) observer.target.next(this.confirmation(observer.encoding));
  }

  remove(observer: StreamObserver): void {
    const observers = this.observers.filter((o) => o !== observer);
    if (observers.length === this.observers.length) return;
    this.observers = observers;
    if (observers.length === 0) this.end(undefined);
  }

  /** Routes the name; before the slot map is known, once it is. */
  place(): void {
    const { topology, router } = this.registry;
    const attach = (): void => {
      if (this.ended) return;
      try {
        router.attach(this);
      } catch (error) {
        this.error(error as Error);
      }
    };
    // The fast path stays synchronous so a loop of subscribes lands in one batch.
    if (topology.isReady) attach();
    else topology.ready().then(attach, (error: unknown) => this.error(error as Error));
  }

  message(channel: Buffer, data: Buffer): void {
    const observers = this.observers;
    let text: PubSubMessage<string> | undefined;
    let bytes: PubSubMessage<Buffer> | undefined;
    for (let i = 0; i < observers.length; i++) {
      const observer = observers[i] as StreamObserver;
      if (observer.encoding === 'buffer') observer.target.next((bytes ??= this.bufferMessage(channel, data)));
      else observer.target.next((text ??= this.textMessage(channel, data)));
    }
  }

  active(count: number): void {
    this.count = count;
    for (const observer of this.observers) {
      if (observer.confirmations) observer.target.next(this.confirmation(observer.encoding));
    }
  }

  error(error: Error): void {
    this.end(error);
  }

  /**
   * Ends the shared subscription: `undefined` when its last observer left (nothing to tell),
   * `null` to complete its observers, an error to fail them.
   */
  end(outcome: Error | null | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.registry.forget(this);
    this.registry.router.detach(this);
    const observers = this.observers;
    this.observers = [];
    if (outcome === undefined) return;
    for (const { target } of observers) {
      if (outcome) target.error(outcome);
      else target.complete();
    }
  }

  private textMessage(channel: Buffer, data: Buffer): PubSubMessage<string> {
    const pattern = this.kind === 'pattern';
    return {
      type: MESSAGE_TYPES[this.kind].message,
      pattern: pattern ? this.ref.text : null,
      // For channels the server's name is the one subscribed: reuse it instead of decoding again.
      channel: pattern ? channel.toString() : this.ref.text,
      data: data.toString(),
    };
  }

  private bufferMessage(channel: Buffer, data: Buffer): PubSubMessage<Buffer> {
    return {
      type: MESSAGE_TYPES[this.kind].message,
      pattern: this.kind === 'pattern' ? this.ref.bytes : null,
      channel,
      data,
    };
  }

  private confirmation(encoding: Encoding): PubSubMessage {
    const name = this.ref.as(encoding);
    return {
      type: MESSAGE_TYPES[this.kind].subscribe,
      pattern: this.kind === 'pattern' ? name : null,
      channel: name,
      data: this.count,
    };
  }
}
