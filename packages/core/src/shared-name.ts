import type { ClusterTopology } from './cluster-topology';
import type { NameRef } from './names';
import type { MessageView } from './message-view';
import type { NodeSubscriber, RoutedName } from './node-subscriber';
import { MESSAGE_TYPES, type Encoding, type PubSubMessage, type SubscriptionKind } from './pubsub-message';
import type { Membership, StreamOptions, StreamTarget } from './stream-options';
import type { SubscriptionRouter } from './subscription-router';

/**
 * @internal What a shared name is made from: a NameRef, or a stream that kept a plain ASCII
 * channel's key, hash and slot without making one.
 */
export interface NameKey {
  /** The map key (see NameRef). */
  readonly key: string;
  /** The key's hashKey. */
  readonly keyHash: number;
  /** The hash slot, or -1 when the router is to compute it. */
  readonly slot: number;
}

/**
 * @internal What a shared name must keep of its validated name besides the key: the bytes and
 * text of a non-ASCII name, the bytes a pattern hands to every message. An ASCII channel keeps
 * its key alone (56 B less per subscription than keeping its NameRef).
 */
export function nameSource(kind: SubscriptionKind, ref: NameRef): NameRef | undefined {
  return ref.ascii && kind !== 'pattern' ? undefined : ref;
}

/** @internal What a shared name needs of the registry that made it. */
export interface SharedNameHost {
  readonly topology: ClusterTopology;
  readonly router: SubscriptionRouter;
  /** Called once the name's last observer left, or it ended. */
  forget(name: SharedName): void;
}

/**
 * @internal An observer of a shared name other than its first (the name itself is the first
 * one's membership). It is also the teardown rxjs calls on unsubscribe, so joining costs one
 * small object and no closure.
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

/** One observer as the delivery loops see it. */
interface Observer {
  readonly target: StreamTarget;
  readonly options: StreamOptions;
}

/**
 * @internal The shared subscription of one (kind, name): what the router places on a node. It is
 * also its first observer's membership (`unsubscribe`): nearly every name has one observer, and
 * it then costs no object of its own.
 */
export class SharedName implements RoutedName, Membership {
  /** The name's hash slot: from its NameRef when known, else set by the router. */
  slot: number;
  home: NodeSubscriber | undefined = undefined;
  /** Kept by the subscription book of its node (see BookEntry). */
  bookState = 0;
  bookOwner: object | null = null;
  bookPrev: RoutedName | null = null;
  bookNext: RoutedName | null = null;
  /** The first observer's target, or null once it left. */
  private target: StreamTarget | null;
  /** The first observer's options. */
  private readonly options: StreamOptions;
  /**
   * The observers who joined later: one, or (rarely) several in an array that is replaced, never
   * mutated, so a delivery loop is not disturbed by observers leaving.
   */
  private others: StreamObserver | readonly StreamObserver[] | null = null;
  /** The server's count at confirmation, or UNCONFIRMED, or ENDED. */
  private count = UNCONFIRMED;
  /** The map key: the caller's string for an ASCII name (see NameRef). */
  readonly key: string;
  /** The key's hashKey, for the registry's NameTable. */
  readonly keyHash: number;
  constructor(
    private readonly registry: SharedNameHost,
    readonly kind: SubscriptionKind,
    name: NameKey,
    /** The validated name, kept only when it holds more than its key (see nameSource). */
    private readonly source: NameRef | undefined,
    /** The first observer. */
    target: StreamTarget,
    options: StreamOptions,
  ) {
    this.target = target;
    this.options = options;
    this.key = name.key;
    this.keyHash = name.keyHash;
    this.slot = name.slot;
  }

  /** The name decoded as UTF-8. */
  get text(): string {
    return this.source ? this.source.text : this.key;
  }

  /** The name as ioredis takes it. */
  get wire(): string | Buffer {
    return this.source ? this.source.wire : this.key;
  }

  /** The name in `encoding`: an ASCII channel's key is its text, and (as latin1) its bytes. */
  private nameAs(encoding: Encoding): string | Buffer {
    const source = this.source;
    if (source) return source.as(encoding);
    return encoding === 'buffer' ? Buffer.from(this.key, 'latin1') : this.key;
  }

  /** The first observer leaves (once: later calls do nothing). */
  unsubscribe(): void {
    if (this.target === null) return;
    this.target = null;
    if (this.others === null) this.end(undefined);
  }

  /** Another observer joins. */
  add(observer: StreamObserver): void {
    const current = this.others;
    if (current === null) this.others = observer;
    else this.others = current instanceof StreamObserver ? [current, observer] : current.concat(observer);
    if (this.count >= 0) this.confirmTo(observer);
  }

  /** Another observer leaves; the last one to leave ends the subscription. */
  remove(observer: StreamObserver): void {
    const current = this.others;
    if (current === observer) {
      this.others = null;
      if (this.target === null) this.end(undefined);
    } else if (Array.isArray(current) && current.includes(observer)) {
      const rest = current.filter((o) => o !== observer);
      this.others = rest.length === 1 ? (rest[0] as StreamObserver) : rest;
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
    const { target, others } = this;
    if (others === null) {
      if (target !== null) target.next(this.options.encoding === 'buffer' ? this.bufferMessage(view) : this.textMessage(view));
      return;
    }
    // Several observers (the first, at -1, if still there): each encoding is decoded once and shared.
    let text: PubSubMessage<string> | undefined;
    let bytes: PubSubMessage<Buffer> | undefined;
    const single = others instanceof StreamObserver ? others : null;
    const count = single ? 1 : (others as readonly StreamObserver[]).length;
    for (let i = -1; i < count; i++) {
      const observer = i < 0 ? null : (single ?? ((others as readonly StreamObserver[])[i] as StreamObserver));
      const to = observer ? observer.target : target;
      if (to === null) continue;
      if ((observer ? observer.options : this.options).encoding === 'buffer') to.next((bytes ??= this.bufferMessage(view)));
      else to.next((text ??= this.textMessage(view)));
    }
  }

  active(count: number): void {
    this.count = count;
    // Read both first: an observer told may make others leave (as a list taken up front would).
    // No list is made: nearly every name has one observer.
    const { target, options, others } = this;
    if (target !== null) this.confirmTo({ target, options });
    if (others === null) return;
    // `others` is replaced, never changed in place, so it can be walked as it is.
    for (const observer of others instanceof StreamObserver ? [others] : others) this.confirmTo(observer);
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
    this.target = null;
    this.others = null;
    if (outcome === undefined) return;
    for (const { target } of observers) {
      if (outcome) target.error(outcome);
      else target.complete();
    }
  }

  /** The observers as a list (off the message path, where one observer must not cost an array). */
  private list(): readonly Observer[] {
    const list: Observer[] = [];
    if (this.target !== null) list.push({ target: this.target, options: this.options });
    const others = this.others;
    if (others instanceof StreamObserver) list.push(others);
    else if (others !== null) list.push(...others);
    return list;
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
      pattern: pattern ? (this.nameAs('buffer') as Buffer) : null,
      channel: view.channelBytes(),
      data: view.dataBytes(),
    };
  }

  /** Tells one observer the name is active, unless it ignores confirmations. */
  private confirmTo({ target, options }: Observer): void {
    if (!options.ignoreSubscribeMessages) target.next(this.confirmation(options.encoding));
  }

  private confirmation(encoding: Encoding): PubSubMessage {
    const name = this.nameAs(encoding);
    return {
      type: MESSAGE_TYPES[this.kind].subscribe,
      pattern: this.kind === 'pattern' ? name : null,
      channel: name,
      data: this.count,
    };
  }
}
