/** How many changes may pile up before they go out without waiting for the end of the tick. */
export const EARLY_FLUSH = 1000;

/**
 * @internal Decides when a node's pending subscription changes go out. Everything asked for in
 * one tick goes out together: a loop of 10,000 subscribes costs one command per node, not
 * 10,000. On an open connection the batch goes in a microtask, and a long loop does not wait
 * for its end: every EARLY_FLUSH changes the batch so far goes out at once, so the server works
 * through it while the caller is still subscribing. On a connection still opening, the batch
 * waits for the end of the event loop turn (see `schedule`).
 *
 * @example
 * ```ts
 * const scheduler = new FlushScheduler(() => sendPlannedCommands(), () => connection.isOpen);
 * scheduler.changed(); // once per name subscribed or unsubscribed
 * ```
 */
export class FlushScheduler {
  private scheduled = false;
  /** Changes since the last flush. */
  private unflushed = 0;

  constructor(
    private readonly flush: () => void,
    /** Whether commands written now go out now (an open connection), not into a queue. */
    private readonly canSendNow: () => boolean,
  ) {}

  /** A flush is due at the end of this tick. */
  get isScheduled(): boolean {
    return this.scheduled;
  }

  /** One more name to subscribe or unsubscribe. */
  changed(): void {
    if (++this.unflushed >= EARLY_FLUSH && this.canSendNow()) this.run();
    else this.schedule();
  }

  /**
   * Flushes at the end of this tick (once, however often asked). While the connection cannot
   * take commands yet, at the end of this turn of the event loop instead: the socket's connect
   * (queued by Node for the next tick) goes out first, and the work of a large flush overlaps
   * the connect and the handshake's round trip rather than delaying them.
   */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.canSendNow()) queueMicrotask(this.scheduledRun);
    else setImmediate(this.scheduledRun);
  }

  private readonly scheduledRun = (): void => {
    this.scheduled = false;
    this.run();
  };

  private run(): void {
    this.unflushed = 0;
    this.flush();
  }
}
