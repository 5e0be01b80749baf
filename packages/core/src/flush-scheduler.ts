/** How many changes may pile up before they go out without waiting for the end of the tick. */
export const EARLY_FLUSH = 1000;

/**
 * @internal Decides when a node's pending subscription changes go out. Everything asked for in
 * one tick goes out together: a loop of 10,000 subscribes costs one command per node, not
 * 10,000. A short batch goes in a microtask, once the connection is open (its owner flushes
 * when it opens: a name subscribed and dropped meanwhile then costs nothing). A long loop does
 * not wait for its end: every EARLY_FLUSH changes the batch so far is planned and encoded at
 * once, so the server works through it while the caller is still subscribing (open connection)
 * or gets it the moment the socket connects, in the write that carries the handshake
 * (connection opening).
 *
 * Why encode ahead while the socket connects: the socket cannot connect before the caller's
 * loop yields, and then every node's socket connects at about the same moment. Planned at that
 * moment, 3,333 names a node took 1–4 ms each, one node after the other, and the last node's
 * names went out up to 7 ms after the first node's; encoded ahead, each connect only writes.
 *
 * @example
 * ```ts
 * const scheduler = new FlushScheduler(() => sendPlannedCommands(), () => connection.isOpen, () => connection !== undefined);
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
    /**
     * Whether commands written now are kept, at least, to go out as the connection opens (there
     * is a connection, open or opening).
     */
    private readonly canKeep: () => boolean,
  ) {}

  /** A flush is due at the end of this tick. */
  get isScheduled(): boolean {
    return this.scheduled;
  }

  /** One more name to subscribe or unsubscribe. */
  changed(): void {
    if (++this.unflushed >= EARLY_FLUSH && this.canKeep()) this.run();
    else this.schedule();
  }

  /**
   * Flushes at the end of this tick (once, however often asked). While the connection cannot
   * take commands, nothing: its owner flushes when it opens.
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
