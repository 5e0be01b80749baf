/**
 * @internal Names that left one node and join their new one after a delay, each once. A name
 * dropped meanwhile (`cancel`) never joins; `onEmpty` lets `whenSettled()` wait for the rest.
 */
export class PendingJoins<T> {
  private readonly waiting = new Map<T, NodeJS.Timeout>();

  constructor(
    /** Called whenever the last pending item joined, was cancelled or cleared. */
    private readonly onEmpty: () => void,
  ) {}

  /** Items still pending. */
  get size(): number {
    return this.waiting.size;
  }

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

  clear(): void {
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    this.releaseIfEmpty();
  }

  private releaseIfEmpty(): void {
    if (this.waiting.size === 0) this.onEmpty();
  }
}
