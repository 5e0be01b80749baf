import type { BenchSession } from '../clients/bench-client';
import type { ReceivedResult } from './protocol';

/** No message for this long after the first one: the rest is lost. */
const STALL_MS = 1_500;

/**
 * Counts the messages of the listened channel for the drain and throughput workloads, and says
 * when `count` have arrived (or arrival stalled) with the times of the first and last one.
 */
export class MessageCounter {
  private received = 0;
  private wanted = Infinity;
  private firstAt = 0;
  private lastAt = 0;
  private finish: ((result: ReceivedResult) => void) | undefined;
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(private readonly session: BenchSession) {}

  listen(channel: string): Promise<void> {
    return this.session.listen(channel, () => {
      // performance.now() allocates nothing; converted to hrtime once, at the end.
      this.lastAt = performance.now();
      if (this.received++ === 0) this.firstAt = this.lastAt;
      if (this.received === this.wanted) this.report();
    });
  }

  /** Starts counting afresh; `done` gets the result once `count` messages arrived or they stall. */
  expect(count: number, done: (result: ReceivedResult) => void): void {
    this.received = 0;
    this.wanted = count;
    this.finish = done;
    clearInterval(this.stallTimer);
    this.stallTimer = setInterval(() => {
      if (this.received > 0 && performance.now() - this.lastAt > STALL_MS) this.report();
    }, 250);
  }

  /** Reports what arrived so far (also when nothing did). */
  report(): void {
    const finish = this.finish;
    if (!finish) return;
    this.finish = undefined;
    this.wanted = Infinity;
    clearInterval(this.stallTimer);
    const now = performance.now();
    const nowNs = process.hrtime.bigint();
    const at = (perf: number): string => String(nowNs - BigInt(Math.round((now - perf) * 1e6)));
    finish({ received: this.received, firstAtNs: at(this.firstAt), lastAtNs: at(this.lastAt) });
  }
}
