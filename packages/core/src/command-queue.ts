import type { ConfirmationType } from './pubsub-reader';

/** @internal How a subscription command ended. */
export type Outcome =
  | { readonly type: 'ok'; readonly count: number }
  /** The server answered with an error (ACL NOPERM, MOVED, …). */
  | { readonly type: 'refused'; readonly error: Error }
  /** The connection dropped before an answer: the caller replans after reconnecting. */
  | { readonly type: 'dropped' };

/** @internal What a command sent waits for: one confirmation per name, a PONG, or any one reply (HELLO). */
export type Expected = ConfirmationType | 'pong' | 'reply';

/**
 * @internal Hears how a command ended: `command` is its index among the commands written
 * together (expectLater with `ends`), 0 for a command written alone.
 */
export type Settle = (outcome: Outcome, command: number) => void;

interface Pending {
  readonly type: Expected;
  /** The names of every command of the entry, in the order written. */
  readonly keys: readonly string[];
  /** Where each command's names end in `keys`, when the entry holds several; null for one. */
  readonly ends: readonly number[] | null;
  /** Names confirmed so far. */
  confirmed: number;
  /** The command answered next. */
  command: number;
  readonly resolve: Settle;
  /** Told a microtask later (expectLater), not at once. */
  readonly later: boolean;
}

const DROPPED: Outcome = { type: 'dropped' };

/**
 * @internal The commands written to one subscriber connection and not yet answered, in order: the
 * server answers in the order it was asked. A (P|S)(UN)SUBSCRIBE of N names is answered by N
 * confirmations, or by one error for the whole command.
 *
 * One confirmation answers no command: the server's own SUNSUBSCRIBE when a slot leaves the node.
 * So a confirmation counts only when it is of the oldest command's type and names its next name;
 * the caller treats what is left as the server's news.
 */
export class CommandQueue {
  private queue: Pending[] = [];
  /** Index of the oldest unanswered command: an array shift per answer would be O(n²). */
  private head = 0;
  /** Outcomes of expectLater commands to hand over at the next microtask, with their listeners. */
  private laterResolves: Settle[] = [];
  private laterOutcomes: Outcome[] = [];
  private laterCommands: number[] = [];

  get size(): number {
    return this.queue.length - this.head;
  }

  /** Awaits the answer of a command just written; `resolve` hears it at once. */
  expect(type: Expected, keys: readonly string[], resolve: (outcome: Outcome) => void): void {
    this.queue.push({ type, keys, ends: null, confirmed: 0, command: 0, resolve, later: false });
  }

  /**
   * As `expect`, but `resolve` hears the outcome a microtask after the answer, together with the
   * others that arrived meanwhile (one microtask for them all): its listener changes state after
   * the read that carried the answer, as it would awaiting a promise, without two promises and
   * three closures per command.
   *
   * `ends` makes the entry several commands of the same type written one after the other (a
   * sharded flush sends one command per slot): the i-th takes `keys` from `ends[i - 1]` (or 0)
   * to `ends[i]`, and `resolve` hears each one's outcome with its index. An error answers one
   * command, as it would alone.
   */
  expectLater(type: Expected, keys: readonly string[], resolve: Settle, ends: readonly number[] | null = null): void {
    this.queue.push({ type, keys, ends, confirmed: 0, command: 0, resolve, later: true });
  }

  /**
   * Tells `resolve` at the next microtask that every command of a write that cannot go out (the
   * connection is closed) was dropped, as expectLater with the same `ends` would.
   */
  dropLater(resolve: Settle, ends: readonly number[] | null): void {
    for (let command = 0; command < commandCount(ends); command++) this.later(resolve, DROPPED, command);
  }

  /** Hands `outcome` to `resolve` at the next microtask, in order with the other later outcomes. */
  private later(resolve: Settle, outcome: Outcome, command: number): void {
    if (this.laterResolves.push(resolve) === 1) queueMicrotask(this.handOver);
    this.laterOutcomes.push(outcome);
    this.laterCommands.push(command);
  }

  /**
   * A confirmation arrived; false when it answers none of our commands. `key` (the name's latin1
   * key) is read for `sunsubscribe` only, the one type the server also sends unasked.
   */
  confirm(type: ConfirmationType, key: string | null, count: number): boolean {
    const oldest = this.queue[this.head];
    if (!oldest || oldest.type !== type) return false;
    // Any other confirmation can only be ours: the server echoes names in the order asked.
    if (type === 'sunsubscribe' && key !== oldest.keys[oldest.confirmed]) return false;
    oldest.confirmed++;
    if (oldest.confirmed >= endOf(oldest)) this.answered(oldest, { type: 'ok', count });
    return true;
  }

  pong(): void {
    this.answer('pong');
  }

  /** A reply that is neither a confirmation nor a PONG (HELLO's); false when none is awaited. */
  reply(): boolean {
    return this.answer('reply');
  }

  /** An error answers the oldest command whole; returns its type. */
  fail(error: Error): Expected | undefined {
    const oldest = this.queue[this.head];
    if (!oldest) return undefined;
    oldest.confirmed = endOf(oldest);
    this.answered(oldest, { type: 'refused', error });
    return oldest.type;
  }

  /** The connection died: nothing written to it will be answered. */
  dropAll(): void {
    const pending = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    for (const entry of pending) {
      for (let command = entry.command; command < commandCount(entry.ends); command++) this.settle(entry, DROPPED, command);
    }
  }

  /** One reply answers the oldest command if that waits for a reply of this type. */
  private answer(type: 'pong' | 'reply'): boolean {
    const oldest = this.queue[this.head];
    if (oldest?.type !== type) return false;
    this.answered(oldest, { type: 'ok', count: 0 });
    return true;
  }

  /** The oldest entry's current command ended: the next one is answered next, or the next entry. */
  private answered(entry: Pending, outcome: Outcome): void {
    const command = entry.command;
    if (entry.ends === null || command + 1 >= entry.ends.length) this.shift();
    else entry.command++;
    this.settle(entry, outcome, command);
  }

  private settle(entry: Pending, outcome: Outcome, command: number): void {
    if (entry.later) this.later(entry.resolve, outcome, command);
    else entry.resolve(outcome, command);
  }

  /** Tells every later outcome, in the order they came (those told meanwhile wait for the next round). */
  private readonly handOver = (): void => {
    const resolves = this.laterResolves;
    const outcomes = this.laterOutcomes;
    const commands = this.laterCommands;
    this.laterResolves = [];
    this.laterOutcomes = [];
    this.laterCommands = [];
    for (let i = 0; i < resolves.length; i++) {
      try {
        (resolves[i] as Settle)(outcomes[i] as Outcome, commands[i] as number);
      } catch (error) {
        // The rest are still told, next round; the error surfaces as from a promise's callback.
        for (let j = i + 1; j < resolves.length; j++) this.later(resolves[j] as Settle, outcomes[j] as Outcome, commands[j] as number);
        throw error;
      }
    }
  };

  private shift(): void {
    this.queue[this.head] = undefined as unknown as Pending;
    this.head++;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

/** Where the entry's current command's names end in its keys. */
function endOf(entry: Pending): number {
  return entry.ends === null ? entry.keys.length : (entry.ends[entry.command] as number);
}

/** How many commands an entry with these `ends` holds. */
function commandCount(ends: readonly number[] | null): number {
  return ends === null ? 1 : ends.length;
}
