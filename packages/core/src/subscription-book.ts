/** @internal What the book asks to send: names to subscribe and names to unsubscribe. */
export interface Plan {
  readonly subscribe: string[];
  readonly unsubscribe: string[];
}

/**
 * @internal A value the book keeps for a wanted name. The book stores that name's server state
 * on it (`bookState`): one map look-up per step instead of one per set a name could be in. Only
 * the book that wants a value writes its state, and `want` always sets it afresh.
 */
export interface BookEntry {
  bookState: number;
}

/** The server confirmed the name (wanted or not). */
const HELD = 1;
/** A command for the name was sent and has not settled. */
const IN_FLIGHT = 2;
/** Listed in `dirty`: the next plan looks at it. */
const DIRTY = 4;

/**
 * @internal Pure bookkeeping of one connection's subscriptions of one kind: what is wanted, what
 * the server has confirmed, what is in flight. `plan()` says which commands bring the server to
 * the wanted state; no I/O here, so every race is unit-testable.
 *
 * Invariants: a name is never in flight twice (a new command for it waits until the first one
 * settles), and only names touched since the last plan are looked at (`dirty`), so one flush
 * costs O(changes), not O(subscriptions). A wanted name's state lives on its value; a name no
 * longer wanted stays in `leaving` while the server holds it or a command for it is in flight.
 */
export class SubscriptionBook<T extends BookEntry> {
  private readonly wanted = new Map<string, T>();
  private readonly leaving = new Map<string, number>();
  /** Names to look at in the next plan; one may be listed twice, its DIRTY bit counts. */
  private dirty: string[] = [];
  private held = 0;
  private inFlight = 0;

  want(key: string, value: T): void {
    const previous = this.wanted.get(key);
    let state = 0;
    if (previous) state = previous.bookState;
    else if (this.leaving.size > 0) {
      state = this.leaving.get(key) ?? 0;
      this.leaving.delete(key);
    }
    this.wanted.set(key, value);
    value.bookState = this.touch(key, state);
  }

  drop(key: string): void {
    const value = this.wanted.get(key);
    if (!value) return;
    this.wanted.delete(key);
    // Never sent (nor confirmed): nothing to undo on the server.
    if (value.bookState & (HELD | IN_FLIGHT)) this.leaving.set(key, this.touch(key, value.bookState));
  }

  /** What was kept for a wanted name. */
  get(key: string): T | undefined {
    return this.wanted.get(key);
  }

  /** Every wanted name's value. */
  values(): IterableIterator<T> {
    return this.wanted.values();
  }

  get size(): number {
    return this.wanted.size;
  }

  /** Whether the server confirmed a wanted name, given its value (no look-up). */
  isHeld(value: T): boolean {
    return (value.bookState & HELD) !== 0;
  }

  plan(): Plan {
    const subscribe: string[] = [];
    const unsubscribe: string[] = [];
    const keys = this.dirty;
    this.dirty = [];
    for (const key of keys) {
      const value = this.wanted.get(key);
      let state = value ? value.bookState : (this.leaving.get(key) ?? 0);
      if (!(state & DIRTY)) continue; // listed twice, or dropped before it was ever sent
      state &= ~DIRTY;
      // In flight: its settle looks again. Otherwise send what brings the server to the wish.
      if (!(state & IN_FLIGHT) && (value !== undefined) !== ((state & HELD) !== 0)) {
        (value ? subscribe : unsubscribe).push(key);
        state |= IN_FLIGHT;
        this.inFlight++;
      }
      this.store(key, value, state);
    }
    return { subscribe, unsubscribe };
  }

  /**
   * A command for `keys` settled; `ok` tells whether the server applied it. Returns the wanted
   * values it newly made held (a subscribe settled twice, early and by its reply, counts once).
   */
  settle(op: 'subscribe' | 'unsubscribe', keys: readonly string[], ok: boolean): T[] {
    const newlyHeld: T[] = [];
    for (const key of keys) {
      const value = this.wanted.get(key);
      let state = value ? value.bookState : (this.leaving.get(key) ?? 0);
      if (state & IN_FLIGHT) {
        state &= ~IN_FLIGHT;
        this.inFlight--;
      }
      if (ok && op === 'unsubscribe' && state & HELD) {
        state &= ~HELD;
        this.held--;
      }
      if (ok && op === 'subscribe' && !(state & HELD)) {
        state |= HELD;
        this.held++;
        if (value) newlyHeld.push(value);
      }
      // Still not where it is wanted (asked otherwise meanwhile, refused, failed): plan it again.
      // A refused subscribe is dropped by the caller; a failed unsubscribe is retried.
      if ((value !== undefined) !== ((state & HELD) !== 0)) state = this.touch(key, state);
      this.store(key, value, state);
    }
    return newlyHeld;
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
    this.dirty = [...this.wanted.keys()];
    for (const value of this.wanted.values()) value.bookState = DIRTY;
  }

  get hasWork(): boolean {
    return this.dirty.length > 0;
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  get idle(): boolean {
    return this.wanted.size === 0 && this.held === 0 && this.inFlight === 0;
  }

  /** Lists `key` for the next plan unless it is listed already; returns the state to keep. */
  private touch(key: string, state: number): number {
    if (state & DIRTY) return state;
    this.dirty.push(key);
    return state | DIRTY;
  }

  /** Keeps a name's state: on its value while wanted, in `leaving` while the server is involved. */
  private store(key: string, value: T | undefined, state: number): void {
    if (value) value.bookState = state;
    else if (state & (HELD | IN_FLIGHT | DIRTY)) this.leaving.set(key, state);
    else this.leaving.delete(key);
  }
}
