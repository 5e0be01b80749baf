/**
 * Base class of every error thrown by `@cluster-pubsub/testing`, so a test can tell a broken test
 * cluster apart from a failure of the code under test.
 *
 * @example
 * ```ts
 * try { await startCluster(); } catch (e) { if (e instanceof LocalClusterError) console.error(e.message); }
 * ```
 */
export class LocalClusterError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * `redis-server` could not be found or run. The message says how to install it.
 *
 * @example
 * ```ts
 * await expect(startCluster({ redisServerPath: '/nonexistent/redis-server' }))
 *   .rejects.toBeInstanceOf(RedisServerNotFoundError);
 * ```
 */
export class RedisServerNotFoundError extends LocalClusterError {
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(
      `redis-server was not found at "${path}". Install Redis 7.0 or newer, for example on ` +
        'Debian/Ubuntu: apt-get update && apt-get install -y redis-server redis-tools ' +
        '(or pass redisServerPath / put redis-server on PATH).',
      options,
    );
  }
}

/**
 * The `redis-server` found is older than 7.0, which lacks sharded pub/sub and CLUSTER ADDSLOTSRANGE.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof RedisServerTooOldError) console.error(e.version); }
 * ```
 */
export class RedisServerTooOldError extends LocalClusterError {
  constructor(
    readonly path: string,
    readonly version: string,
  ) {
    super(
      `redis-server at "${path}" is version ${version}; cluster-pubsub needs Redis 7.0 or newer. ` +
        'Install a newer one (apt-get update && apt-get install -y redis-server redis-tools on ' +
        'Debian 12+/Ubuntu 24.04+) or pass redisServerPath.',
    );
  }
}

/**
 * A node process could not be started (bad config, port taken, crash on boot). `log` holds the tail
 * of its output, which usually says why.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof NodeStartError) console.error(e.port, e.log); }
 * ```
 */
export class NodeStartError extends LocalClusterError {
  constructor(
    readonly port: number,
    readonly log: string,
    options?: { cause?: unknown },
  ) {
    super(`redis-server on port ${port} did not start. Its last output:\n${log}`, options);
  }
}

/**
 * The cluster did not settle in time. `reason` is the last thing seen that kept it unstable
 * (a node in `cluster_state:fail`, two nodes disagreeing on a slot's owner, …).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof ClusterNotStableError) console.error(e.reason); }
 * ```
 */
export class ClusterNotStableError extends LocalClusterError {
  constructor(
    readonly what: string,
    readonly reason: string,
    readonly timeoutMs: number,
  ) {
    super(`${what}: still not done after ${timeoutMs} ms; last seen: ${reason}`);
  }
}

/**
 * A fault or helper was asked for something the cluster cannot do (no node on that port, migrate
 * to a replica, kill a remote node, use a stopped cluster…).
 *
 * @example
 * ```ts
 * await expect(cluster.failover(1)).rejects.toBeInstanceOf(InvalidClusterOperationError);
 * ```
 */
export class InvalidClusterOperationError extends LocalClusterError {}
