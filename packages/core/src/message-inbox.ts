import { MessageQueue, type OverflowPolicy } from './message-queue';
import type { PubSubMessage } from './pubsub-message';

/**
 * @internal The bounded queue that `getMessage()` and `listen()` read, with waiting readers woken
 * by each arrival. Never busy-waits. A waiting reader is one promise and one function: waiting
 * through rxjs (`firstValueFrom` of a Subject, with `timeout`) made a subscriber, its observers
 * and a copy of the Subject's observer list for every message a reader waited for.
 */
export class MessageInbox {
  private readonly queue: MessageQueue<PubSubMessage>;
  /** Wakes each waiting reader (which then looks at the queue again). */
  private wakers: (() => void)[] = [];

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
      await this.nextWake(left);
    }
  }

  /** Resolves at the next arrival, failure, clear or close, or after `ms` (Infinity: never). */
  private nextWake(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.wakers.push(wake);
      if (Number.isFinite(ms)) {
        timer = setTimeout(() => {
          const at = this.wakers.indexOf(wake);
          if (at >= 0) this.wakers.splice(at, 1);
          resolve();
        }, ms);
      }
    });
  }

  private wakeAll(): void {
    if (this.wakers.length === 0) return;
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }
}
