/**
 * @internal Names that left one node and join their new one after a delay, each once. A name
 * dropped meanwhile (`cancel`) never joins; `whenEmpty()` lets `whenSettled()` wait for the rest.
 */
export class PendingJoins<T> {
  private readonly waiting = new Map<T, NodeJS.Timeout>();
  private emptyWaiters: (() => void)[] = [];

  /** After `delayMs`, calls `join(item)` for each item still pending. */
  schedule(items: readonly T[], delayMs: number, join: (item: T) => void): void {
    for (const item of items) {
      clearTimeout(this.waiting.get(item));
      const timer = setTimeout(() => {
        if (this.waiting.get(item) !== timer) return;
        this.waiting.delete(item);
        join(item);
        this.releaseIfEmpty();
      }, delayMs);
      timer.unref();
      this.waiting.set(item, timer);
    }
  }

  has(item: T): boolean {
    return this.waiting.has(item);
  }

  /** The item will not join (its last observer left). */
  cancel(item: T): void {
    clearTimeout(this.waiting.get(item));
    if (this.waiting.delete(item)) this.releaseIfEmpty();
  }

  /** Resolves once nothing is pending. */
  whenEmpty(): Promise<void> {
    if (this.waiting.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  clear(): void {
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    this.releaseIfEmpty();
  }

  private releaseIfEmpty(): void {
    if (this.waiting.size > 0) return;
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
