/**
 * @internal Notices a connection that went silent without closing: the node frozen, or a TCP
 * connection a NAT or firewall dropped without a reset. Such a connection delivers nothing and
 * reports nothing, so without this its subscriptions would go quiet for good.
 *
 * Every `intervalMs` it sends a PING; when a whole interval after a PING passed and nothing at
 * all was heard on the connection, it calls `dead()` once. Any data counts as life (a backlog
 * being read keeps the connection alive even when the PING's reply is queued behind it), and the
 * verdict is taken after the event loop has read the sockets (`setImmediate`), so a loop that was
 * blocked (a long task, a stopped process) reads what is pending before it judges.
 */
export class HealthCheck {
  private readonly timer: NodeJS.Timeout;
  private heard = true;
  private pinged = false;
  private stopped = false;

  constructor(
    intervalMs: number,
    private readonly ping: () => void,
    private readonly dead: () => void,
  ) {
    this.timer = setInterval(() => setImmediate(() => this.tick()), intervalMs);
    this.timer.unref();
  }

  /** Something arrived on the connection. */
  heardFrom(): void {
    this.heard = true;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private tick(): void {
    if (this.stopped) return;
    if (this.pinged && !this.heard) {
      this.stop();
      this.dead();
      return;
    }
    this.heard = false;
    this.pinged = true;
    this.ping();
  }
}
