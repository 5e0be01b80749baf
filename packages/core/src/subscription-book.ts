/** @internal What the book asks to send: names to subscribe and names to unsubscribe. */
export interface Plan {
  readonly subscribe: string[];
  readonly unsubscribe: string[];
}

/**
 * @internal Pure bookkeeping of one connection's subscriptions of one kind: what is wanted, what
 * the server has confirmed, what is in flight. `plan()` says which commands bring the server to
 * the wanted state; no I/O here, so every race is unit-testable.
 *
 * Invariants: a name is never in flight twice (a new command for it waits until the first one
 * settles), and only names touched since the last plan are looked at (`dirty`), so one flush
 * costs O(changes), not O(subscriptions).
 */
export class SubscriptionBook<T> {
  /** The wanted names, each with what the owner keeps for it (one map serves both). */
  private readonly wanted = new Map<string, T>();
  private readonly held = new Set<string>();
  private readonly inFlight = new Set<string>();
  private readonly dirty = new Set<string>();

  want(key: string, value: T): void {
    this.wanted.set(key, value);
    this.dirty.add(key);
  }

  drop(key: string): void {
    this.wanted.delete(key);
    this.dirty.add(key);
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

  /** Confirmed by the server (wanted or not). */
  isHeld(key: string): boolean {
    return this.held.has(key);
  }

  /** Confirmed by the server and still wanted: messages for it may be delivered. */
  isActive(key: string): boolean {
    return this.held.has(key) && this.wanted.has(key);
  }

  plan(): Plan {
    const subscribe: string[] = [];
    const unsubscribe: string[] = [];
    for (const key of this.dirty) {
      if (this.inFlight.has(key)) continue;
      const wanted = this.wanted.has(key);
      if (wanted === this.held.has(key)) continue;
      this.inFlight.add(key);
      (wanted ? subscribe : unsubscribe).push(key);
    }
    this.dirty.clear();
    return { subscribe, unsubscribe };
  }

  /**
   * A command for `keys` settled; `ok` tells whether the server applied it. Returns the names it
   * newly made held (a subscribe settled twice, early and by its reply, counts once).
   */
  settle(op: 'subscribe' | 'unsubscribe', keys: readonly string[], ok: boolean): string[] {
    const newlyHeld: string[] = [];
    for (const key of keys) {
      this.inFlight.delete(key);
      if (ok && op === 'unsubscribe') this.held.delete(key);
      if (ok && op === 'subscribe' && !this.held.has(key)) {
        this.held.add(key);
        newlyHeld.push(key);
      }
      // Still not where it is wanted (asked otherwise meanwhile, refused, failed): plan it again.
      // A refused subscribe is dropped by the caller; a failed unsubscribe is retried.
      if (this.wanted.has(key) !== this.held.has(key)) this.dirty.add(key);
    }
    return newlyHeld;
  }

  /** Names the server holds, of this kind. */
  get heldCount(): number {
    return this.held.size;
  }

  /** The connection is gone: the server holds nothing, and nothing is in flight any more. */
  lost(): void {
    this.held.clear();
    this.inFlight.clear();
    for (const key of this.wanted.keys()) this.dirty.add(key);
  }

  get hasWork(): boolean {
    return this.dirty.size > 0;
  }

  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  get idle(): boolean {
    return this.wanted.size === 0 && this.held.size === 0 && this.inFlight.size === 0;
  }
}
