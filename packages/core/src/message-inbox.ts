import { firstValueFrom, Subject, timeout as within, TimeoutError } from 'rxjs';
import { MessageQueue, type OverflowPolicy } from './message-queue';
import type { PubSubMessage } from './pubsub-message';

/**
 * @internal The bounded queue that `getMessage()` and `listen()` read, with waiting readers woken
 * by each arrival (`firstValueFrom` + `timeout`). Never busy-waits.
 */
export class MessageInbox {
  private readonly queue: MessageQueue<PubSubMessage>;
  private readonly arrivals = new Subject<void>();
  /** Readers waiting now: with none, an arrival wakes nobody and costs no Subject emission. */
  private waiting = 0;

  constructor(limit: number, overflow: OverflowPolicy) {
    this.queue = new MessageQueue(limit, overflow);
  }

  get dropped(): number {
    return this.queue.dropped;
  }

  push(message: PubSubMessage): void {
    if (this.queue.limit > 0 && this.queue.push(message) && this.waiting > 0) this.arrivals.next();
  }

  /** The next read throws `error`: a failure no caller was waiting for. */
  fail(error: Error): void {
    this.queue.fail(error);
    this.arrivals.next();
  }

  /** Empties the queue and wakes every waiting reader (which then re-checks whether to go on). */
  clear(): void {
    this.queue.clear();
    this.arrivals.next();
  }

  close(): void {
    this.arrivals.complete();
  }

  /** The oldest message waiting, or undefined at once; throws a pending overflow error. */
  poll(skipConfirmations: boolean): PubSubMessage | undefined {
    for (;;) {
      const message = this.queue.shift();
      if (!message || !(skipConfirmations && typeof message.data === 'number')) return message;
    }
  }

  /**
   * The oldest message; waits at most `timeoutMs` (`null`: no limit) while `goOn()` holds.
   * Resolves `null` on timeout or when `goOn()` turns false.
   */
  async take(timeoutMs: number | null, skipConfirmations: boolean, goOn: () => boolean): Promise<PubSubMessage | null> {
    const deadline = timeoutMs === null ? Infinity : Date.now() + timeoutMs;
    for (;;) {
      const message = this.poll(skipConfirmations);
      if (message) return message;
      const left = deadline - Date.now();
      if (left <= 0 || !goOn()) return null;
      const next = Number.isFinite(left) ? this.arrivals.pipe(within(left)) : this.arrivals;
      this.waiting++;
      try {
        await firstValueFrom(next, { defaultValue: undefined });
      } catch (error) {
        if (error instanceof TimeoutError) return null;
        throw error;
      } finally {
        this.waiting--;
      }
    }
  }
}
