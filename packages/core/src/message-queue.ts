import { QueueOverflowError } from './errors';

/**
 * What happens when more than `maxQueuedMessages` wait to be read by `getMessage()` / `listen()`:
 * - `'drop-oldest'` (default): the oldest waiting message is discarded, so a slow reader sees the
 *   freshest traffic;
 * - `'drop-newest'`: the arriving message is discarded;
 * - `'error'`: the queue is emptied and the next read throws a {@link QueueOverflowError}.
 *
 * Every discarded message is counted in `ClusterPubSub.droppedMessages`.
 */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'error';

/**
 * @internal A bounded FIFO on a ring buffer (O(1) push and shift, no array shifting), with the
 * overflow policy applied on push. Items are messages or one pending error.
 */
export class MessageQueue<T> {
  private ring: (T | undefined)[];
  private head = 0;
  private size = 0;
  private pendingError: Error | undefined;
  dropped = 0;

  constructor(
    readonly limit: number,
    private readonly overflow: OverflowPolicy,
  ) {
    this.ring = new Array<T | undefined>(Math.min(Math.max(limit, 1), 1024));
  }

  get length(): number {
    return this.size;
  }

  /** Adds an item; returns false when it was discarded. */
  push(item: T): boolean {
    if (this.size >= this.limit) {
      this.dropped++;
      if (this.overflow === 'drop-newest') return false;
      if (this.overflow === 'error') {
        this.dropped += this.size;
        this.clear();
        this.pendingError = new QueueOverflowError(this.limit);
        return false;
      }
      this.shift();
    }
    if (this.size === this.ring.length) this.grow();
    this.ring[(this.head + this.size) % this.ring.length] = item;
    this.size++;
    return true;
  }

  /** Takes the oldest item; throws the pending overflow error first if there is one. */
  shift(): T | undefined {
    if (this.pendingError) {
      const error = this.pendingError;
      this.pendingError = undefined;
      throw error;
    }
    if (this.size === 0) return undefined;
    const item = this.ring[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    return item;
  }

  get hasError(): boolean {
    return this.pendingError !== undefined;
  }

  /** Queues an error for the next read (an observer failure the reader must hear about). */
  fail(error: Error): void {
    this.pendingError ??= error;
  }

  clear(): void {
    this.ring = new Array<T | undefined>(Math.min(Math.max(this.limit, 1), 1024));
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const next = new Array<T | undefined>(Math.min(this.ring.length * 2, Math.max(this.limit, 1)));
    for (let i = 0; i < this.size; i++) next[i] = this.ring[(this.head + i) % this.ring.length];
    this.ring = next;
    this.head = 0;
  }
}
