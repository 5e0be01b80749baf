import type { ClusterTopology } from './cluster-topology';
import { NameRef } from './names';
import type { MessageView } from './message-view';
import type { NodeSubscriber, RoutedName } from './node-subscriber';
import { MESSAGE_TYPES, type Encoding, type PubSubMessage, type SubscriptionKind } from './pubsub-message';
import type { Membership, StreamOptions, StreamTarget } from './stream-options';
import type { SubscriptionRouter } from './subscription-router';

/** @internal What a shared name needs of the registry that made it. */
export interface SharedNameHost {
  readonly topology: ClusterTopology;
  readonly router: SubscriptionRouter;
  /** Called once the name's last observer left, or it ended. */
  forget(name: SharedName): void;
}

/**
 * @internal One observer of a shared name. It is also the teardown rxjs calls on unsubscribe, so
 * joining costs one small object and no closure.
 */
export class StreamObserver implements Membership {
  constructor(
    readonly name: SharedName,
    readonly target: StreamTarget,
    readonly options: StreamOptions,
  ) {}

  unsubscribe(): void {
    this.name.remove(this);
  }
}

const UNCONFIRMED = -1;
const ENDED = -2;

/** @internal The shared subscription of one (kind, name): what the router places on a node. */
export class SharedName implements RoutedName {
  /** The name's hash slot: from its NameRef when known, else set by the router. */
  slot: number;
  home: NodeSubscriber | undefined = undefined;
  /** Kept by the subscription book of its node (see BookEntry). */
  bookState = 0;
  bookOwner: object | null = null;
  bookPrev: RoutedName | null = null;
  bookNext: RoutedName | null = null;
  /**
   * The observer, or (rarely) several in an array that is replaced, never mutated, so a delivery
   * loop is not disturbed by observers leaving. One observer costs no array.
   */
  private observers: StreamObserver | readonly StreamObserver[] | null = null;
  /** The server's count at confirmation, or UNCONFIRMED, or ENDED. */
  private count = UNCONFIRMED;
  /** The map key: the caller's string for an ASCII name (see NameRef). */
  readonly key: string;
  /** The key's hashKey, for the registry's NameTable. */
  readonly keyHash: number;
  /**
   * The validated name, kept only when it holds more than its key: the bytes and text of a
   * non-ASCII name, the bytes a pattern hands to every message. An ASCII channel keeps its key
   * alone (56 B less per subscription).
   */
  private readonly source: NameRef | undefined;

  constructor(
    private readonly registry: SharedNameHost,
    readonly kind: SubscriptionKind,
    ref: NameRef,
  ) {
    this.key = ref.key;
    this.keyHash = ref.keyHash;
    this.slot = ref.slot;
    this.source = ref.ascii && kind !== 'pattern' ? undefined : ref;
  }

  /** The name decoded as UTF-8. */
  get text(): string {
    return this.source ? this.source.text : this.key;
  }

  /** The name as ioredis takes it. */
  get wire(): string | Buffer {
    return this.source ? this.source.wire : this.key;
  }

  private get ref(): NameRef {
    return this.source ?? NameRef.fromAscii(this.key);
  }

  add(observer: StreamObserver): void {
    const current = this.observers;
    if (current === null) this.observers = observer;
    else this.observers = current instanceof StreamObserver ? [current, observer] : current.concat(observer);
    if (this.count >= 0 && !observer.options.ignoreSubscribeMessages) {
      observer.target.next(this.confirmation(observer.options.encoding));
    }
  }

  remove(observer: StreamObserver): void {
    const current = this.observers;
    if (current === observer) {
      this.observers = null;
      this.end(undefined);
    } else if (Array.isArray(current) && current.includes(observer)) {
      const rest = current.filter((o) => o !== observer);
      this.observers = rest.length === 1 ? (rest[0] as StreamObserver) : rest;
    }
  }

  /** Routes the name; before the slot map is known, once it is. */
  place(): void {
    const { topology } = this.registry;
    // The fast path stays synchronous (and allocates nothing) so a loop of subscribes lands in
    // one batch.
    if (topology.isReady) this.attach();
    else topology.ready().then(() => this.attach(), (error: unknown) => this.error(error as Error));
  }

  private attach(): void {
    if (this.count === ENDED) return;
    try {
      this.registry.router.attach(this);
    } catch (error) {
      this.error(error as Error);
    }
  }

  /** Delivers one message; the view is valid during this call only. */
  message(view: MessageView): void {
    const observers = this.observers;
    if (observers instanceof StreamObserver) {
      const { target, options } = observers;
      target.next(options.encoding === 'buffer' ? this.bufferMessage(view) : this.textMessage(view));
      return;
    }
    if (observers === null) return;
    let text: PubSubMessage<string> | undefined;
    let bytes: PubSubMessage<Buffer> | undefined;
    for (let i = 0; i < observers.length; i++) {
      const observer = observers[i] as StreamObserver;
      if (observer.options.encoding === 'buffer') observer.target.next((bytes ??= this.bufferMessage(view)));
      else observer.target.next((text ??= this.textMessage(view)));
    }
  }

  active(count: number): void {
    this.count = count;
    const observers = this.observers;
    // Nearly every name has one observer that ignores confirmations: nothing to do, no list made.
    if (observers instanceof StreamObserver && observers.options.ignoreSubscribeMessages) return;
    for (const { target, options } of this.list()) {
      if (!options.ignoreSubscribeMessages) target.next(this.confirmation(options.encoding));
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
    if (this.count === ENDED) return;
    this.count = ENDED;
    this.registry.forget(this);
    this.registry.router.detach(this);
    const observers = this.list();
    this.observers = null;
    if (outcome === undefined) return;
    for (const { target } of observers) {
      if (outcome) target.error(outcome);
      else target.complete();
    }
  }

  /** The observers as a list (off the message path, where one observer must not cost an array). */
  private list(): readonly StreamObserver[] {
    const observers = this.observers;
    if (observers === null) return [];
    return observers instanceof StreamObserver ? [observers] : observers;
  }

  private textMessage(view: MessageView): PubSubMessage<string> {
    const pattern = this.kind === 'pattern';
    return {
      type: MESSAGE_TYPES[this.kind].message,
      pattern: pattern ? this.text : null,
      // For channels the server's name is the one subscribed: reuse it instead of decoding again.
      channel: pattern ? view.channelText() : this.text,
      data: view.dataText(),
    };
  }

  private bufferMessage(view: MessageView): PubSubMessage<Buffer> {
    const pattern = this.kind === 'pattern';
    return {
      type: MESSAGE_TYPES[this.kind].message,
      pattern: pattern ? this.ref.bytes : null,
      channel: view.channelBytes(),
      data: view.dataBytes(),
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
