import { PerformanceObserver } from 'node:perf_hooks';

/**
 * V8's collector pauses in this process, as `perf_hooks` reports them, to tell how much of a
 * timed pass was the collector's. The churn passes need it: a scavenge of 5–12 ms lands in some
 * passes and not in others, and which ones depends on where the earlier passes left the young
 * generation, so a pass's time alone does not say whether the client or the collector was slow.
 *
 * @example
 * ```ts
 * const gc = GcLog.start();
 * const start = performance.now();
 * await work();
 * const collectorMs = await gc.within(start, performance.now());
 * gc.stop();
 * ```
 */
export class GcLog {
  private readonly pauses: { readonly start: number; readonly end: number }[] = [];
  private readonly observer: PerformanceObserver;

  private constructor() {
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.pauses.push({ start: entry.startTime, end: entry.startTime + entry.duration });
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  static start(): GcLog {
    return new GcLog();
  }

  /**
   * Milliseconds of collector pauses inside [start, end] (performance.now() times). It waits for
   * the observer's entries first: Node hands a pause to JavaScript in one immediate and to the
   * observer in the next.
   */
  async within(start: number, end: number): Promise<number> {
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    let total = 0;
    for (const pause of this.pauses) total += Math.max(0, Math.min(pause.end, end) - Math.max(pause.start, start));
    // Older pauses can no longer fall inside a later pass.
    while (this.pauses.length > 0 && (this.pauses[0] as { end: number }).end < start) this.pauses.shift();
    return total;
  }

  stop(): void {
    this.observer.disconnect();
  }
}
