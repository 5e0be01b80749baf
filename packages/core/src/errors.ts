/**
 * Base class of every error this library raises. Catch it to handle all of them at once.
 *
 * @example
 * ```ts
 * try { await rc.publish(42 as never, 'x'); }
 * catch (err) { if (err instanceof ClusterPubSubError) console.error(err.message); }
 * ```
 */
export class ClusterPubSubError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An argument was rejected before any I/O: a channel that is neither a string nor a Buffer,
 * an empty name list, an unknown option. Nothing was sent and no state changed.
 *
 * @example
 * ```ts
 * expect(() => rc.fromChannel(7 as never)).toThrow(InvalidArgumentError);
 * ```
 */
export class InvalidArgumentError extends ClusterPubSubError {}

/**
 * The `RedisCluster` or `ClusterPubSub` was used after `close()`. Create a new one instead.
 *
 * @example
 * ```ts
 * await ps.close();
 * await ps.subscribe('news').catch((e) => e instanceof ClosedError); // true
 * ```
 */
export class ClosedError extends ClusterPubSubError {
  constructor(what: string) {
    super(`${what} is closed; create a new one to subscribe or publish again`);
  }
}

/**
 * The server refused one subscription (for example ACL `NOPERM`). Only that name failed; the
 * other names of the same call stay subscribed. `kind` and `subscriptionName` say which one.
 *
 * @example
 * ```ts
 * rc.fromChannel('secret').subscribe({ error: (e: SubscriptionRefusedError) => console.log(e.subscriptionName) });
 * ```
 */
export class SubscriptionRefusedError extends ClusterPubSubError {
  constructor(
    readonly kind: 'channel' | 'pattern' | 'shard',
    readonly subscriptionName: string | Buffer,
    cause: unknown,
  ) {
    super(
      `the server refused to subscribe ${kind} "${String(subscriptionName)}": ${messageOf(cause)}; ` +
        'check the ACL of the connecting user',
      { cause },
    );
  }
}

/**
 * Several subscriptions of one `subscribe` call failed; `errors` holds one error per name. The
 * names that succeeded stay subscribed.
 *
 * @example
 * ```ts
 * await ps.subscribe('ok', 'forbidden').catch((e: SubscribeFailedError) => e.errors.length); // 1
 * ```
 */
export class SubscribeFailedError extends ClusterPubSubError {
  constructor(readonly errors: readonly Error[]) {
    super(`${errors.length} subscription(s) failed: ${errors.map(messageOf).join('; ')}`, {
      cause: errors[0],
    });
  }
}

/**
 * A node could not be reached, or a subscription could not be restored within the configured
 * limit (`recovery.maxWaitMs`). Observers of the affected names receive it instead of silence.
 *
 * @example
 * ```ts
 * rc.fromChannel('news').subscribe({ error: (e) => e instanceof ConnectionLostError && alert(e.message) });
 * ```
 */
export class ConnectionLostError extends ClusterPubSubError {}

/**
 * The bounded queue behind `getMessage()` / `listen()` overflowed and the overflow policy is
 * `'error'`. Read faster, raise `maxQueuedMessages`, or choose `'drop-oldest'`.
 *
 * @example
 * ```ts
 * const ps = rc.pubsub({ maxQueuedMessages: 10, overflow: 'error' });
 * ```
 */
export class QueueOverflowError extends ClusterPubSubError {
  constructor(readonly limit: number) {
    super(
      `more than ${limit} messages were waiting to be read; read faster, raise ` +
        "maxQueuedMessages, or use overflow: 'drop-oldest'",
    );
  }
}

/**
 * A command sent to a node failed (connection error, server error reply, unsupported command).
 *
 * @example
 * ```ts
 * await rc.publish('news', 'x').catch((e) => e instanceof CommandFailedError && e.cause);
 * ```
 */
export class CommandFailedError extends ClusterPubSubError {
  constructor(command: string, cause: unknown) {
    super(`${command} failed: ${messageOf(cause)}`, { cause });
  }
}

/** @internal */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
