import { Observable, Subject } from 'rxjs';
import { ClosedError, InvalidArgumentError } from './errors';
import { MessageInbox } from './message-inbox';
import { MessageIterator } from './message-iterator';
import type { OverflowPolicy } from './message-queue';
import { checkEncoding, toNameRef, type NameRef } from './names';
import { nameWhat, parseSubscribeArgs, type MessageHandler, type ParsedSubscribeArgs, type SubscribeArg } from './subscribe-args';
import { type Encoding, type Name, type PubSubMessage, type SubscriptionKind } from './pubsub-message';
import { streamOptions, type Membership, type StreamOptions, type StreamTarget } from './stream-options';
import { ConfirmationBatch, HeldName, type HeldNameOwner } from './held-name';

/** Options of `rc.pubsub(...)`. */
export interface ClusterPubSubOptions {
  /** Leave out `subscribe` / `unsubscribe` confirmations from reads. Default false, as the seed. */
  readonly ignoreSubscribeMessages?: boolean;
  /** Strings (`'utf8'`, default of the `RedisCluster`) or byte-exact `Buffer`s. */
  readonly encoding?: Encoding;
  /** How many messages may wait for `getMessage()` / `listen()`. Default 10,000; 0 keeps none. */
  readonly maxQueuedMessages?: number;
  /** What happens past `maxQueuedMessages`. Default `'drop-oldest'`. */
  readonly overflow?: OverflowPolicy;
}

/** Options of {@link ClusterPubSub.getMessage}. */
export interface GetMessageOptions {
  /** Milliseconds to wait: `0` (default) returns at once, `null` waits without limit. */
  readonly timeout?: number | null;
  /** Skip confirmations for this read, whatever the pubsub's own setting. */
  readonly ignoreSubscribeMessages?: boolean;
}

/** @internal What a ClusterPubSub needs from its RedisCluster. */
export interface PubSubHost {
  readonly encoding: Encoding;
  join(kind: SubscriptionKind, ref: NameRef, options: StreamOptions, target: StreamTarget): Membership;
  whenSettled(): Promise<void>;
  ping(): Promise<void>;
}

const UNSUBSCRIBE = { channel: 'unsubscribe', pattern: 'punsubscribe', shard: 'sunsubscribe' } as const;

/**
 * The seed's `ClusterPubSub`, on top of the cold per-name streams: each subscribed name is one
 * `fromChannel` / `fromPattern` / `fromShardChannel` stream, merged into one queue that
 * `getMessage()` and `listen()` read, and into `messages$`.
 *
 * @example
 * ```ts
 * await using ps = rc.pubsub({ ignoreSubscribeMessages: true });
 * await ps.subscribe('news', { alerts: (m) => console.log('alert', m.data) });
 * const next = await ps.getMessage({ timeout: 1000 }); // a message, or null after 1 s
 * for await (const m of ps.listen()) console.log(m.channel, m.data);
 * ```
 */
export class ClusterPubSub {
  private readonly held: Record<SubscriptionKind, Map<string, HeldName>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };
  private readonly inbox: MessageInbox;
  private readonly output = new Subject<PubSubMessage>();
  private readonly encoding: Encoding;
  private readonly ignoreSubscribeMessages: boolean;
  private closed = false;
  private generation = 0;
  private confirmedCount = 0;

  /** Every message not taken by a handler (and confirmations unless ignored), as it arrives. */
  readonly messages$: Observable<PubSubMessage> = this.output.asObservable();

  /** How the held names' traffic reaches this pubsub. */
  private readonly events: HeldNameOwner = {
    received: (held, message) => this.deliver(message, held.handler),
    confirmed: (_held, message, first) => {
      if (first) this.confirmedCount++;
      // As redis-py: the data of a confirmation is how many subscriptions are confirmed now.
      if (!this.ignoreSubscribeMessages) this.deliver({ ...message, data: this.confirmedCount }, null);
    },
    failed: (held, error) => {
      const active = held.confirmed;
      this.forget(held);
      // A failure after confirmation has no caller waiting: the next read reports it.
      if (active) this.inbox.fail(error as Error);
    },
    ended: (held) => {
      this.forget(held);
      held.settle(new ClosedError('the RedisCluster'));
    },
  };

  /** @internal Use `rc.pubsub()`. */
  constructor(
    private readonly host: PubSubHost,
    options: ClusterPubSubOptions = {},
  ) {
    this.encoding = checkEncoding(options.encoding ?? host.encoding);
    this.ignoreSubscribeMessages = options.ignoreSubscribeMessages ?? false;
    const limit = options.maxQueuedMessages ?? 10_000;
    if (!Number.isInteger(limit) || limit < 0) {
      throw new InvalidArgumentError(`maxQueuedMessages must be a whole number >= 0, got ${String(limit)}`);
    }
    this.inbox = new MessageInbox(limit, options.overflow ?? 'drop-oldest');
  }

  /** Subscribed channels and their handlers (`null`: queued). */
  get channels(): ReadonlyMap<string | Buffer, MessageHandler | null> {
    return this.view('channel');
  }

  /** Subscribed patterns and their handlers. */
  get patterns(): ReadonlyMap<string | Buffer, MessageHandler | null> {
    return this.view('pattern');
  }

  /** Subscribed sharded channels and their handlers. */
  get shardChannels(): ReadonlyMap<string | Buffer, MessageHandler | null> {
    return this.view('shard');
  }

  /** True while anything is subscribed. */
  get subscribed(): boolean {
    return this.count() > 0;
  }

  /** Messages discarded because the queue was full (see `overflow`). */
  get droppedMessages(): number {
    return this.inbox.dropped;
  }

  /** Subscribes channels; resolves once every one is confirmed by its node. */
  subscribe(...args: SubscribeArg[]): Promise<void> {
    return this.add('channel', args);
  }

  /** Subscribes patterns; they match channels in every slot. */
  psubscribe(...args: SubscribeArg[]): Promise<void> {
    return this.add('pattern', args);
  }

  /** Subscribes sharded channels, each on its slot's master (grouped per slot). */
  ssubscribe(...args: SubscribeArg[]): Promise<void> {
    return this.add('shard', args);
  }

  /** Unsubscribes channels; none given: all of them. */
  unsubscribe(...channels: Name[]): Promise<void> {
    return this.remove('channel', channels);
  }

  /** Unsubscribes patterns; none given: all of them. */
  punsubscribe(...patterns: Name[]): Promise<void> {
    return this.remove('pattern', patterns);
  }

  /** Unsubscribes sharded channels; none given: all of them. */
  sunsubscribe(...channels: Name[]): Promise<void> {
    return this.remove('shard', channels);
  }

  /**
   * The next queued message. `timeout: 0` answers at once (a message or `null`); a number of
   * milliseconds waits at most that long; `null` waits until a message comes or `close()`.
   */
  async getMessage(options: GetMessageOptions = {}): Promise<PubSubMessage | null> {
    this.assertOpen();
    const { timeout = 0, ignoreSubscribeMessages = false } = options;
    if (timeout !== null && (typeof timeout !== 'number' || !(timeout >= 0))) {
      throw new InvalidArgumentError(`timeout must be a number of milliseconds >= 0 or null, got ${String(timeout)}`);
    }
    return this.inbox.take(timeout, ignoreSubscribeMessages, this.untilReset());
  }

  /**
   * Every message, for `for await`; ends on `close()` or `reset()` (an iterator made before a
   * `reset()` ends there, though the pubsub goes on).
   */
  listen(): AsyncIterableIterator<PubSubMessage> {
    return new MessageIterator(this.inbox, this.untilReset());
  }

  /**
   * The seed's `execute_command`: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their UN- forms and PING,
   * routed like the methods of the same name.
   */
  async executeCommand(command: string, ...args: Name[]): Promise<unknown> {
    this.assertOpen();
    switch (typeof command === 'string' ? command.toUpperCase() : command) {
      case 'SUBSCRIBE': return this.subscribe(...args);
      case 'PSUBSCRIBE': return this.psubscribe(...args);
      case 'SSUBSCRIBE': return this.ssubscribe(...args);
      case 'UNSUBSCRIBE': return this.unsubscribe(...args);
      case 'PUNSUBSCRIBE': return this.punsubscribe(...args);
      case 'SUNSUBSCRIBE': return this.sunsubscribe(...args);
      case 'PING': await this.host.ping(); return 'PONG';
      default:
        throw new InvalidArgumentError(
          `executeCommand takes SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their UN- forms or PING, got ${String(command)}`,
        );
    }
  }

  /** Unsubscribes everything and empties the queue; the pubsub stays usable. */
  async reset(): Promise<void> {
    this.assertOpen();
    this.dropAll();
    await this.host.whenSettled();
  }

  /** Unsubscribes everything; any later use throws {@link ClosedError}. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.dropAll();
    this.closed = true;
    this.output.complete();
    this.inbox.close();
    await this.host.whenSettled();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // add() and remove() return promises without being async functions: a suspended async call
  // weighed about 1 kB, which made 10,000 one-name calls cost more in garbage collection than in
  // work. Their argument errors still come as rejections.
  private add(kind: SubscriptionKind, args: SubscribeArg[]): Promise<void> {
    let wanted: ParsedSubscribeArgs;
    try {
      this.assertOpen();
      wanted = parseSubscribeArgs(kind, args);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const batch = new ConfirmationBatch(wanted.length / 2);
    const held = this.held[kind];
    for (let i = 0; i < wanted.length; i += 2) {
      const ref = wanted[i] as NameRef;
      const handler = wanted[i + 1] as MessageHandler | null;
      const existing = held.get(ref.key);
      if (existing) existing.handler = handler;
      (existing ?? this.start(kind, ref, handler)).waitFor(batch);
    }
    return batch.done;
  }

  private start(kind: SubscriptionKind, ref: NameRef, handler: MessageHandler | null): HeldName {
    const held = new HeldName(this.events, kind, ref, ref.as(this.encoding), handler);
    // Registered before joining: a late observer of an active name is confirmed synchronously.
    this.held[kind].set(ref.key, held);
    held.membership = this.host.join(kind, ref, streamOptions(this.encoding, false), held);
    return held;
  }

  private remove(kind: SubscriptionKind, names: Name[]): Promise<void> {
    const map = this.held[kind];
    let keys: string[];
    try {
      this.assertOpen();
      const what = nameWhat(kind);
      keys = names.length === 0 ? [...map.keys()] : names.map((n) => toNameRef(n, what).key);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    for (const key of keys) {
      const entry = map.get(key);
      if (!entry) continue;
      this.forget(entry);
      entry.release();
      if (!this.ignoreSubscribeMessages) {
        const pattern = kind === 'pattern' ? entry.name : null;
        this.deliver({ type: UNSUBSCRIBE[kind], pattern, channel: entry.name, data: this.confirmedCount }, null);
      }
    }
    return this.host.whenSettled();
  }

  private deliver(message: PubSubMessage, handler: MessageHandler | null): void {
    if (handler) return handler(message);
    this.inbox.push(message);
    // Subject#next makes a closure per call even with nobody listening.
    if (this.output.observed) this.output.next(message);
  }

  private dropAll(): void {
    this.generation++;
    for (const map of Object.values(this.held)) {
      for (const entry of map.values()) entry.release();
      map.clear();
    }
    this.confirmedCount = 0;
    this.inbox.clear();
  }

  private count(): number {
    return this.held.channel.size + this.held.pattern.size + this.held.shard.size;
  }

  private forget(entry: HeldName): void {
    const map = this.held[entry.kind];
    if (map.get(entry.ref.key) !== entry) return;
    map.delete(entry.ref.key);
    if (entry.confirmed) this.confirmedCount--;
  }

  private view(kind: SubscriptionKind): ReadonlyMap<string | Buffer, MessageHandler | null> {
    return new Map([...this.held[kind].values()].map((e) => [e.name, e.handler]));
  }

  /** Whether a read begun now may go on: until `close()` or the next `reset()`. */
  private untilReset(): () => boolean {
    const generation = this.generation;
    return () => !this.closed && generation === this.generation;
  }

  private assertOpen(): void {
    if (this.closed) throw new ClosedError('this ClusterPubSub');
  }
}
