/** @internal What the book asks to send: values to subscribe, and keys of names to unsubscribe. */
export interface Plan<T> {
  readonly subscribe: T[];
  readonly unsubscribe: string[];
}

/**
 * @internal A value a book can want: one subscribed name. The book links its wanted values into
 * a list through fields of their own and keeps their server state on them, so wanting, dropping
 * and planning a name cost no map look-up at all. Only the book that wants a value writes these
 * fields; a value is wanted by one book at a time, and of equal keys only one value at a time.
 */
export interface BookEntry {
  /** The name's map key (see NameRef). */
  readonly key: string;
  /** Its slot: sharded names must leave in one command per slot. */
  readonly slot: number;
  /** Owned by the book: state bits (HELD, IN_FLIGHT, DIRTY). */
  bookState: number;
  /** Owned by the book: the book that wants this value, or null. */
  bookOwner: object | null;
  /** Owned by the book: neighbours in its list of wanted values. */
  bookPrev: BookEntry | null;
  bookNext: BookEntry | null;
}

/** The server confirmed the name (wanted or not). */
const HELD = 1;
/** A command for the name was sent and has not settled. */
const IN_FLIGHT = 2;
/** Listed in `dirty`: the next plan looks at it. */
const DIRTY = 4;
const STATE_BITS = 7;
/** A leaving name's state keeps its slot above the state bits. */
const SLOT_SHIFT = 3;

/**
 * @internal Pure bookkeeping of one connection's subscriptions of one kind: what is wanted, what
 * the server has confirmed, what is in flight. `plan()` says which commands bring the server to
 * the wanted state; no I/O here, so every race is unit-testable.
 *
 * Invariants: a name is never in flight twice (a new command for it waits until the first one
 * settles), and only names touched since the last plan are looked at (`dirty`), so one flush
 * costs O(changes), not O(subscriptions). A wanted name's state lives on its value; a name no
 * longer wanted stays in `leaving` (by key, with its slot) while the server holds it or a
 * command for it is in flight. `find` gives the value registered for a key, if any: the book
 * asks it only on the rare path of a name dropped and wanted again by a new value.
 *
 * @example
 * ```ts
 * const book = new SubscriptionBook<Name>((key) => names.get(key));
 * book.want(name);
 * const { subscribe } = book.plan(); // [name]: send SUBSCRIBE, then
 * book.settleSubscribe(subscribe, true); // [name]: newly held
 * ```
 */
export class SubscriptionBook<T extends BookEntry> {
  private head: T | null = null;
  private tail: T | null = null;
  private count = 0;
  private readonly leaving = new Map<string, number>();
  /** To look at in the next plan: wanted values, or keys of leaving names. Listed twice, DIRTY counts. */
  private dirty: (T | string)[] = [];
  private held = 0;
  private inFlight = 0;
  /** What the last `locate` found (a field, so a look-up returns two things and allocates nothing). */
  private located: T | undefined = undefined;

  constructor(private readonly find: (key: string) => T | undefined) {}

  /** Wants `value` here (from now until `drop`). */
  want(value: T): void {
    if (value.bookOwner === this) {
      value.bookState = this.mark(value, value.bookState);
      return;
    }
    if (value.bookOwner !== null) throw new Error(`internal: ${value.key} is wanted by two books`);
    let state = 0;
    if (this.leaving.size > 0) {
      const left = this.leaving.get(value.key);
      if (left !== undefined) {
        // The server still holds it, or a command for it is in flight: carry that over. Any
        // listing of the key resolves to this value now; list the value itself too.
        state = left & (HELD | IN_FLIGHT);
        this.leaving.delete(value.key);
      }
    }
    value.bookOwner = this;
    value.bookPrev = this.tail;
    value.bookNext = null;
    if (this.tail) this.tail.bookNext = value;
    else this.head = value;
    this.tail = value;
    this.count++;
    value.bookState = this.mark(value, state);
  }

  /** No longer wants `value` (nothing happens if it is not wanted here). */
  drop(value: T): void {
    if (value.bookOwner !== this) return;
    const { bookPrev: prev, bookNext: next } = value;
    if (prev) prev.bookNext = next;
    else this.head = next as T | null;
    if (next) next.bookPrev = prev;
    else this.tail = prev as T | null;
    value.bookOwner = value.bookPrev = value.bookNext = null;
    this.count--;
    const state = value.bookState;
    value.bookState = 0;
    // Never sent (nor confirmed): nothing to undo on the server. A DIRTY listing of the value
    // itself resolves to its key now.
    if (state & (HELD | IN_FLIGHT)) {
      this.leaving.set(value.key, this.mark(value.key, (value.slot << SLOT_SHIFT) | (state & STATE_BITS)));
    }
  }

  /** Whether `value` is wanted here. */
  has(value: T): boolean {
    return value.bookOwner === this;
  }

  /** Every wanted value, in the order wanted. */
  *values(): Generator<T> {
    for (let value = this.head; value; value = value.bookNext as T | null) yield value;
  }

  get size(): number {
    return this.count;
  }

  /** Whether the server confirmed a wanted value. */
  isHeld(value: T): boolean {
    return value.bookOwner === this && (value.bookState & HELD) !== 0;
  }

  /** The slot of a leaving name (for one SUNSUBSCRIBE per slot), or -1. */
  leavingSlot(key: string): number {
    const state = this.leaving.get(key);
    return state === undefined ? -1 : state >>> SLOT_SHIFT;
  }

  plan(): Plan<T> {
    const subscribe: T[] = [];
    const unsubscribe: string[] = [];
    const items = this.dirty;
    this.dirty = [];
    for (const item of items) {
      let state = this.locate(item);
      const value = this.located;
      const key = typeof item === 'string' ? item : item.key;
      if (!(state & DIRTY)) continue; // listed twice, or dropped before it was ever sent
      state &= ~DIRTY;
      // In flight: its settle looks again. Otherwise send what brings the server to the wish.
      if (!(state & IN_FLIGHT) && (value !== undefined) !== ((state & HELD) !== 0)) {
        if (value) subscribe.push(value);
        else unsubscribe.push(key);
        state |= IN_FLIGHT;
        this.inFlight++;
      }
      this.store(key, value, state);
    }
    return { subscribe, unsubscribe };
  }

  /**
   * A SUBSCRIBE for `values` settled; `ok` tells whether the server applied it. Returns the
   * wanted values it newly made held (a subscribe settled twice, early and by its reply, counts
   * once). A value dropped meanwhile is settled by its key.
   */
  settleSubscribe(values: readonly T[], ok: boolean): T[] {
    const newlyHeld: T[] = [];
    for (const item of values) {
      let state = this.settleOne(this.locate(item));
      const value = this.located;
      // Neither wanted nor leaving: should it be held now, it leaves from the item's slot.
      if (!value && state === 0) state = Math.max(item.slot, 0) << SLOT_SHIFT;
      if (ok && !(state & HELD)) {
        state |= HELD;
        this.held++;
        if (value) newlyHeld.push(value);
      }
      this.restore(item.key, value, state);
    }
    return newlyHeld;
  }

  /** An UNSUBSCRIBE for `keys` settled; `ok` tells whether the server applied it. */
  settleUnsubscribe(keys: readonly string[], ok: boolean): void {
    for (const key of keys) {
      let state = this.settleOne(this.locate(key));
      const value = this.located;
      if (ok && state & HELD) {
        state &= ~HELD;
        this.held--;
      }
      this.restore(key, value, state);
    }
  }

  /** Names the server holds, of this kind. */
  get heldCount(): number {
    return this.held;
  }

  /** The connection is gone: the server holds nothing, and nothing is in flight any more. */
  lost(): void {
    this.leaving.clear();
    this.held = 0;
    this.inFlight = 0;
    const dirty: T[] = [];
    for (let value = this.head; value; value = value.bookNext as T | null) {
      value.bookState = DIRTY;
      dirty.push(value);
    }
    this.dirty = dirty;
  }

  /** Forgets everything: no value is wanted here any more (their fields are released). */
  clear(): void {
    for (let value = this.head; value; ) {
      const next = value.bookNext as T | null;
      value.bookOwner = value.bookPrev = value.bookNext = null;
      value.bookState = 0;
      value = next;
    }
    this.head = this.tail = null;
    this.count = 0;
    this.leaving.clear();
    this.dirty = [];
    this.held = 0;
    this.inFlight = 0;
  }

  get hasWork(): boolean {
    return this.dirty.length > 0;
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  get idle(): boolean {
    return this.count === 0 && this.held === 0 && this.inFlight === 0;
  }

  /**
   * The state of a listed item's name (a leaving one's with its slot above the state bits), and
   * in `located` the value wanted here for it: the item itself, whoever took its key since, or
   * none. One map look-up at most, none for a wanted value.
   */
  private locate(item: T | string): number {
    if (typeof item !== 'string') {
      if (item.bookOwner === this) {
        this.located = item;
        return item.bookState;
      }
      item = item.key;
    }
    this.located = undefined;
    const left = this.leaving.get(item);
    if (left !== undefined) return left;
    const value = this.find(item);
    if (value === undefined || value.bookOwner !== this) return 0;
    this.located = value;
    return value.bookState;
  }

  /** A command settled for a name in state `state`: it is in flight no longer. */
  private settleOne(state: number): number {
    if (state & IN_FLIGHT) {
      this.inFlight--;
      return state & ~IN_FLIGHT;
    }
    return state;
  }

  /**
   * Keeps a settled name's state; one still not where it is wanted (asked otherwise meanwhile,
   * refused, failed) is planned again. A refused subscribe is dropped by the caller; a failed
   * unsubscribe is retried.
   */
  private restore(key: string, value: T | undefined, state: number): void {
    if ((value !== undefined) !== ((state & HELD) !== 0)) state = this.mark(value ?? key, state);
    this.store(key, value, state);
  }

  /**
   * Lists a wanted value, or a leaving name's key, for the next plan unless it is listed already;
   * returns the state to keep.
   */
  private mark(item: T | string, state: number): number {
    if (state & DIRTY) return state;
    this.dirty.push(item);
    return state | DIRTY;
  }

  /**
   * Keeps a name's state: on its value while wanted, in `leaving` (slot bits included, as
   * `locate` gave them) while the server is involved.
   */
  private store(key: string, value: T | undefined, state: number): void {
    if (value) value.bookState = state;
    else if (state & (HELD | IN_FLIGHT | DIRTY)) this.leaving.set(key, state);
    else this.leaving.delete(key);
  }
}
