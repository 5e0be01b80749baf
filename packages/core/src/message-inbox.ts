import { firstValueFrom, Subject, timeout, TimeoutError } from 'rxjs';
import { MessageQueue, type OverflowPolicy } from './message-queue';
import type { PubSubMessage } from './pubsub-message';

/**
 * @internal The bounded queue that `getMessage()` and `listen()` read, with waiting readers woken
 * by each arrival: a reader waits with `firstValueFrom` + `timeout` on the arrivals (SPEC). Never
 * busy-waits. Only a reader that finds the queue empty waits, so a backlog is handed over with no
 * rxjs object per message, and an arrival with nobody waiting emits nothing.
 */
export class MessageInbox {
  private readonly queue: MessageQueue<PubSubMessage>;
  /** Each arrival, failure, clear or close: waiting readers look at the queue again. */
  private readonly arrivals = new Subject<void>();

  constructor(limit: number, overflow: OverflowPolicy) {
    this.queue = new MessageQueue(limit, overflow);
  }

  get dropped(): number {
    return this.queue.dropped;
  }

  push(message: PubSubMessage): void {
    if (this.queue.limit > 0 && this.queue.push(message)) this.wakeAll();
  }

  /** The next read throws `error`: a failure no caller was waiting for. */
  fail(error: Error): void {
    this.queue.fail(error);
    this.wakeAll();
  }

  /** Empties the queue and wakes every waiting reader (which then re-checks whether to go on). */
  clear(): void {
    this.queue.clear();
    this.wakeAll();
  }

  /** Wakes every waiting reader for good: they find their `goOn()` false. */
  close(): void {
    this.wakeAll();
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
      try {
        await firstValueFrom(Number.isFinite(left) ? this.arrivals.pipe(timeout(left)) : this.arrivals);
      } catch (error) {
        if (error instanceof TimeoutError) return null;
        throw error;
      }
    }
  }

  /**
   * A woken reader leaves `arrivals` at once (firstValueFrom takes one value), so the rest of a
   * read's messages, pushed before it runs again, emit nothing: `Subject#next` costs a closure.
   */
  private wakeAll(): void {
    if (this.arrivals.observed) this.arrivals.next();
  }
}
