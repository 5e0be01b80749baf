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

  constructor(limit: number, overflow: OverflowPolicy) {
    this.queue = new MessageQueue(limit, overflow);
  }

  get dropped(): number {
    return this.queue.dropped;
  }

  push(message: PubSubMessage): void {
    if (this.queue.limit > 0 && this.queue.push(message)) this.arrivals.next();
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

  /**
   * The oldest message; waits at most `timeoutMs` (`null`: no limit) while `goOn()` holds.
   * Resolves `null` on timeout or when `goOn()` turns false.
   */
  async take(timeoutMs: number | null, skipConfirmations: boolean, goOn: () => boolean): Promise<PubSubMessage | null> {
    const deadline = timeoutMs === null ? Infinity : Date.now() + timeoutMs;
    for (;;) {
      const message = this.queue.shift();
      if (message) {
        if (skipConfirmations && typeof message.data === 'number') continue;
        return message;
      }
      const left = deadline - Date.now();
      if (left <= 0 || !goOn()) return null;
      const next = Number.isFinite(left) ? this.arrivals.pipe(within(left)) : this.arrivals;
      try {
        await firstValueFrom(next, { defaultValue: undefined });
      } catch (error) {
        if (error instanceof TimeoutError) return null;
        throw error;
      }
    }
  }
}
