/** How many changes may pile up before they go out without waiting for the end of the tick. */
export const EARLY_FLUSH = 1000;

/**
 * @internal Decides when a node's pending subscription changes go out. Everything asked for in
 * one tick goes out together: a loop of 10,000 subscribes costs one command per node, not
 * 10,000. On an open connection the batch goes in a microtask, and a long loop does not wait
 * for its end: every EARLY_FLUSH changes the batch so far goes out at once, so the server works
 * through it while the caller is still subscribing. While the connection is not open, nothing
 * is scheduled: its owner flushes once it opens (see `schedule`).
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
   * take commands, nothing: its owner flushes when it opens. Planning then rather than now lets
   * a name subscribed and dropped meanwhile cost nothing, lets the socket's connect go out
   * before the work of a large batch, and lets one node's server start on its names while the
   * next node's are planned.
   */
  schedule(): void {
    if (this.scheduled || !this.canSendNow()) return;
    this.scheduled = true;
    queueMicrotask(this.scheduledRun);
  }

  /** The connection opened: everything asked for while it was not goes out now. */
  opened(): void {
    this.run();
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
