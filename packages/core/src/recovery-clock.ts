import { ConnectionLostError } from './errors';

/**
 * @internal How long a node's subscriptions may stay unrestored after its connection was lost.
 * The clock starts at the first loss and runs until `stop()` (everything restored, or the
 * connection closed); a connection that drops again on every attempt (refused credentials) does
 * not push the limit back. When it runs out, `expired` gets the error for the observers, which
 * names the node's last refusal when there was one.
 *
 * @example
 * ```ts
 * const clock = new RecoveryClock('10.0.0.1:6379', 30_000, (error) => failEveryName(error));
 * clock.lost();        // the connection dropped: 30 s from now, unless…
 * clock.stop();        // …everything was subscribed again
 * ```
 */
export class RecoveryClock {
  private timer: NodeJS.Timeout | undefined;
  /** Why the connection was last lost, when the node said so (a refused handshake). */
  private cause: Error | undefined;

  constructor(
    private readonly node: string,
    private readonly maxWaitMs: number,
    private readonly expired: (error: ConnectionLostError) => void,
  ) {}

  /** From a loss until `stop()`. */
  get running(): boolean {
    return this.timer !== undefined;
  }

  /** The connection was lost (`cause`: the node's refusal): the clock starts, unless it runs. */
  lost(cause: Error | undefined): void {
    this.cause = cause;
    if (this.timer) return;
    this.timer = setTimeout(() => this.expire(), this.maxWaitMs);
    this.timer.unref();
  }

  /** Recovery is over: the clock stops and forgets the cause. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.cause = undefined;
  }

  private expire(): void {
    const cause = this.cause;
    this.stop();
    this.expired(
      new ConnectionLostError(
        `the subscriptions on ${this.node} could not be restored within ${this.maxWaitMs} ms; ` +
          (cause
            ? `the node refused the connection's handshake: ${cause.message}`
            : 'the node is unreachable and no other node took over its slots'),
        cause ? { cause } : undefined,
      ),
    );
  }
}
