import type { RedisOptions } from 'ioredis';
import { SubscriptionRefusedError, type ConnectionLostError } from './errors';
import { statusNames, type NodeStatusEvent } from './node-status';
import type { SubscriptionKind } from './pubsub-message';
import type { MessageView, NameLookup } from './message-view';
import { FlushScheduler } from './flush-scheduler';
import { movedTarget } from './moved-target';
import { RecoveryClock } from './recovery-clock';
import { SubscriberConnection } from './subscriber-connection';
import type { Outcome } from './command-queue';
import { groupEnds, groupForCommand } from './subscription-commands';
import { SubscriptionBook, type BookEntry } from './subscription-book';

/** @internal Where one subscription's traffic goes. */
export interface SubscriptionSink {
  /** The view is valid during the call only. */
  message(view: MessageView): void;
  active(count: number): void;
  error(error: Error): void;
}

/**
 * @internal One subscribed (kind, name) as the router and its node see it, however many observers
 * share it: the stream registry's own object, so a subscription costs no extra route record.
 */
export interface RoutedName extends SubscriptionSink, BookEntry {
  readonly kind: SubscriptionKind;
  /** The name's map key (see NameRef). */
  readonly key: string;
  /** The name decoded as UTF-8. */
  readonly text: string;
  /** The name as its slot is computed from. */
  readonly wire: string | Buffer;
  /** Set by the router when it places the name. */
  slot: number;
  /** The connection that carries it now; undefined while not placed. */
  home: NodeSubscriber | undefined;
}

/** @internal */
export interface NodeSubscriberOptions {
  readonly redisOptions: RedisOptions;
  /** How long subscriptions may stay unrestored after a loss before their observers get an error. */
  readonly maxWaitMs: number;
  /** How often the connection is checked for life; 0: never. */
  readonly healthCheckIntervalMs: number;
  readonly onStatus: (event: Omit<NodeStatusEvent, 'node' | 'at'>) => void;
  /** Nothing is wanted, held or in flight any more and the connection is closed. */
  readonly onIdle: () => void;
  /** Nothing waits to be sent or confirmed here any more (see `isSettled`). */
  readonly onSettled: () => void;
  /** The server dropped sharded subscriptions by itself: their slot moved. */
  readonly onSlotMoved: () => void;
  /**
   * The server answered SSUBSCRIBE with MOVED to `address` (`host:port` as the cluster announces
   * it): the slot map was behind. `names` have left this node and are to join that one.
   */
  readonly onRedirected: (names: RoutedName[], address: string) => void;
  /** The names registered, wherever they are placed: messages are looked up here. */
  readonly names: NameLookup<RoutedName>;
}

const KINDS: readonly SubscriptionKind[] = ['channel', 'pattern', 'shard'];

/** The names of one kind on this connection: wanted ones with their stream, held, in flight. */
type Book = SubscriptionBook<RoutedName>;

/**
 * @internal The one subscriber connection to one node: channels, patterns and sharded channels.
 * Opened on the first name, closed when the last one has left. Every name asked for in the same
 * tick goes out in one command per kind (one per slot for sharded names, which must not span
 * slots).
 *
 * The server counts classic and sharded subscriptions apart, and either count may reach zero
 * while the other does not (the server's own SUNSUBSCRIBE when a slot leaves, for one). ioredis
 * dropped the other kind's messages then, which once forced a connection per kind; our reader
 * (SubscriberConnection) has no subscriber mode to leave, so one connection carries all three.
 */
export class NodeSubscriber {
  private link: SubscriberConnection | undefined;
  /** Bumped on every connection loss: replies of commands from before the loss are ignored. */
  private generation = 0;
  private readonly scheduler = new FlushScheduler(
    () => this.flush(),
    () => this.isOpen,
    () => this.link !== undefined,
  );
  private restoring = false;
  /** Runs from a connection loss until everything is subscribed again. */
  private readonly recovery: RecoveryClock;
  private readonly kinds: Record<SubscriptionKind, Book>;
  /** The same books, to loop over. */
  private readonly books: readonly Book[];

  constructor(
    readonly node: string,
    private readonly options: NodeSubscriberOptions,
  ) {
    const book = (kind: SubscriptionKind): Book => new SubscriptionBook((key) => options.names.find(kind, key));
    this.kinds = { channel: book('channel'), pattern: book('pattern'), shard: book('shard') };
    this.books = KINDS.map((kind) => this.kinds[kind]);
    this.recovery = new RecoveryClock(node, options.maxWaitMs, (error) => this.giveUp(error));
  }

  /** `moved`: the name comes from another node; a `resubscribed` event reports it once confirmed. */
  attach(name: RoutedName, moved = false): void {
    if (moved) this.restoring = true;
    // Open the connection at the first name: its socket connects as soon as the caller's loop
    // yields, a long loop's names are encoded meanwhile and the rest once it is open (see
    // FlushScheduler).
    if (!this.link) this.connection();
    name.home = this;
    this.kinds[name.kind].want(name);
    this.scheduler.changed();
  }

  detach(name: RoutedName): void {
    const book = this.kinds[name.kind];
    if (!book.has(name)) return;
    name.home = undefined;
    book.drop(name);
    // A dead node's offline queue would wait forever: with nothing left to carry, drop it now.
    if (!this.isOpen && this.attachedCount() === 0) return this.abandon();
    this.scheduler.changed();
  }

  /** True from a connection loss (or a move here) until everything is subscribed again. */
  get isRestoring(): boolean {
    return this.restoring;
  }

  /** True from a connection loss until everything is subscribed again (not for moves here). */
  get isReconnecting(): boolean {
    return this.recovery.running;
  }

  /** Names currently attached here. */
  *attached(): Generator<RoutedName> {
    for (const book of this.books) yield* book.values();
  }

  /** The connection is up: whatever the node sends reaches us now. */
  get isOpen(): boolean {
    return this.link?.isOpen === true;
  }

  get isIdle(): boolean {
    for (const book of this.books) if (!book.idle) return false;
    return true;
  }

  /** Nothing is waiting to be sent or confirmed on this connection. */
  get isSettled(): boolean {
    if (this.scheduler.isScheduled) return false;
    for (const book of this.books) if (book.busy || book.hasWork) return false;
    return true;
  }

  async ping(): Promise<void> {
    await this.link?.ping();
  }

  /** Closes the connection at once, whatever it holds; the sinks are left to the caller. */
  close(): void {
    this.endRecovery();
    for (const name of this.attached()) name.home = undefined;
    for (const book of this.books) book.clear();
    this.disconnect();
    this.options.onSettled();
  }

  private flush(): void {
    const link = this.link;
    link?.cork();
    for (const kind of KINDS) {
      const book = this.kinds[kind];
      const plan = book.plan();
      this.subscribe(kind, groupForCommand(kind, plan.subscribe, (name) => name.slot));
      this.unsubscribe(kind, groupForCommand(kind, plan.unsubscribe, (key) => book.leavingSlot(key)));
    }
    link?.uncork();
    this.afterChange();
  }

  /**
   * Sends one SUBSCRIBE (of its kind) per group: sharded names go one command per slot, all of
   * a flush's commands one entry with one closure (see CommandQueue.expectLater).
   */
  private subscribe(kind: SubscriptionKind, groups: RoutedName[][]): void {
    if (groups.length === 0) return;
    const generation = this.generation;
    const keys = (groups.length === 1 ? (groups[0] as RoutedName[]) : groups.flat()).map((name) => name.key);
    this.connection().send(kind, 'subscribe', keys, (outcome, command) => {
      if (this.isStale(generation, outcome)) return;
      const names = groups[command] as RoutedName[];
      const book = this.kinds[kind];
      if (outcome.type === 'ok' || outcome.type === 'dropped') {
        const count = outcome.type === 'ok' ? outcome.count : 0;
        for (const name of book.settleSubscribe(names, outcome.type === 'ok')) name.active(count);
        return this.afterChange();
      }
      // MOVED: a sharded command is one slot, and all its names follow the reply.
      const movedTo = kind === 'shard' ? movedTarget(outcome.error.message, this.node) : null;
      if (movedTo !== null) return this.redirected(names, movedTo);
      // One refused name fails the whole command: retry one by one to find which.
      if (names.length > 1) return this.subscribe(kind, names.map((name) => [name]));
      this.refused(kind, names[0]!, outcome.error);
    }, groupEnds(groups));
  }

  /** Sends one UNSUBSCRIBE (of its kind) per group of keys, as `subscribe` does. */
  private unsubscribe(kind: SubscriptionKind, groups: string[][]): void {
    if (groups.length === 0) return;
    const generation = this.generation;
    const keys = groups.length === 1 ? (groups[0] as string[]) : groups.flat();
    this.connection().send(kind, 'unsubscribe', keys, (outcome, command) => {
      if (this.isStale(generation, outcome)) return;
      // A failed unsubscribe leaves nothing we want on the server: count it as done.
      this.kinds[kind].settleUnsubscribe(groups[command] as string[], outcome.type !== 'dropped');
      this.afterChange();
    }, groupEnds(groups));
  }

  /**
   * Whether a command's outcome is to be ignored. Answers from before a loss are stale: `lost` has
   * replanned everything since. A command dropped without a loss of the connection (e.g. it is
   * being replaced) is settled as not applied, so it is tried again; on a closed connection
   * nothing is retried.
   */
  private isStale(generation: number, outcome: Outcome): boolean {
    return generation !== this.generation || (outcome.type === 'dropped' && !this.isOpen);
  }

  /**
   * A message for a name whose subscribe confirmation has not been handled yet: the server only
   * sends messages after its confirmation, so the name is confirmed now, and its observers hear
   * so before the message (a command's answer is handled a microtask after the read that
   * carried it, messages at once). The count is what this connection holds as far as we know.
   */
  private receive(book: Book, name: RoutedName | undefined, view: MessageView): void {
    // Not wanted here (any more): a name leaving this node, or one that moved to another.
    if (!name || !book.has(name)) return;
    if (!book.isHeld(name) && book.settleSubscribe([name], true).length > 0) {
      let held = 0;
      for (const each of this.books) held += each.heldCount;
      name.active(held);
    }
    name.message(view);
  }

  /**
   * SSUBSCRIBE was answered MOVED: the slot map was behind (a migration or failover it has not
   * seen yet; the connection asked for a fresh one already). The names leave this node unheld
   * and join the node the reply names, instead of failing as refused.
   */
  private redirected(names: RoutedName[], address: string): void {
    const book = this.kinds.shard;
    book.settleSubscribe(names, false);
    const moving = names.filter((name) => book.has(name));
    for (const name of moving) this.detach(name);
    if (moving.length > 0) this.options.onRedirected(moving, address);
    this.afterChange();
  }

  private refused(kind: SubscriptionKind, name: RoutedName, cause: Error): void {
    const book = this.kinds[kind];
    book.settleSubscribe([name], false);
    if (book.has(name)) {
      this.detach(name);
      name.error(new SubscriptionRefusedError(kind, name.text, cause));
    }
    this.afterChange();
  }

  private afterChange(): void {
    let work = false;
    for (const book of this.books) work ||= book.hasWork;
    if (work) return this.scheduler.schedule();
    if (!this.isSettled) return;
    if (this.restoring && this.isOpen) {
      this.endRecovery();
      this.options.onStatus({ type: 'resubscribed', names: statusNames(this.attached()) });
    }
    this.options.onSettled();
    if (this.isIdle) {
      this.disconnect();
      this.options.onIdle();
    }
  }

  private connection(): SubscriberConnection {
    if (this.link) return this.link;
    const { channel: channels, pattern: patterns, shard: shards } = this.kinds;
    const { names } = this.options;
    const link: SubscriberConnection = new SubscriberConnection(this.node, this.options.redisOptions, this.options.healthCheckIntervalMs, {
      // One table look-up per message, on the socket's bytes: the name goes straight to its sink.
      message: (view) => this.receive(channels, view.findChannel('channel', names), view),
      pmessage: (view) => this.receive(patterns, view.findPattern(names), view),
      smessage: (view) => this.receive(shards, view.findChannel('shard', names), view),
      slotMoved: () => this.options.onSlotMoved(),
      // The rest of what was asked for while the socket was connecting is planned now (a long
      // loop's names went out with the handshake, encoded ahead: see FlushScheduler).
      open: () => {
        if (link === this.link) this.scheduler.opened();
      },
      ready: () => {
        if (link === this.link) this.options.onStatus({ type: 'ready' });
      },
      lost: (cause) => {
        if (link === this.link) this.lost(cause);
      },
    });
    this.link = link;
    this.options.onStatus({ type: 'connecting' });
    return link;
  }

  private lost(cause: Error | undefined): void {
    this.generation++;
    for (const book of this.books) book.lost();
    this.restoring = true;
    this.recovery.lost(cause);
    this.options.onStatus(cause ? { type: 'lost', error: cause } : { type: 'lost' });
    // Everything is replanned when the connection opens again (see FlushScheduler.opened).
  }

  /** Recovery is over (everything restored, or the connection closed): its clock stops. */
  private endRecovery(): void {
    this.restoring = false;
    this.recovery.stop();
  }

  private attachedCount(): number {
    let count = 0;
    for (const book of this.books) count += book.size;
    return count;
  }

  /** Closes a connection that carries nothing any more, whatever is still queued on it. */
  private abandon(): void {
    this.close();
    this.options.onIdle();
  }

  /**
   * Recovery took longer than allowed: observers get an error rather than silence. (The clock
   * runs only while restoring: `lost` starts both, `endRecovery` ends both.)
   */
  private giveUp(error: ConnectionLostError): void {
    const dropped = [...this.attached()];
    this.options.onStatus({ type: 'gave-up', names: statusNames(this.attached()), error });
    this.abandon();
    for (const name of dropped) name.error(error);
  }

  private disconnect(): void {
    const link = this.link;
    if (!link) return;
    this.link = undefined;
    this.generation++;
    link.close();
    this.options.onStatus({ type: 'closed' });
  }
}
