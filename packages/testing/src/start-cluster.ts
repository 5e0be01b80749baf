import { join } from 'node:path';
import { AdminConnections } from './admin-connections';
import { createClusterDir, stopClusterDir, sweepLeftovers } from './cluster-dir';
import { createCluster } from './create-cluster';
import { InvalidClusterOperationError } from './errors';
import { findFreePorts } from './free-ports';
import { LocalCluster } from './local-cluster';
import { writeNodeConfig } from './node-config';
import { resolveRedisServer } from './redis-server-binary';
import { isPortTaken, startNode } from './start-node';

/**
 * Options of `startCluster`.
 *
 * @example
 * ```ts
 * const options: StartClusterOptions = { masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 1000 };
 * ```
 */
export interface StartClusterOptions {
  /** Default 3. */
  masters?: number;
  /** Default 1. */
  replicasPerMaster?: number;
  /** `cluster-node-timeout`: how long until a silent node is failed over. Default 2000 ms. */
  nodeTimeoutMs?: number;
  /** Interface the nodes bind to and announce. Default `127.0.0.1`. */
  host?: string;
  /** Default: `redis-server` on PATH. */
  redisServerPath?: string;
  /**
   * Keep the nodes running after this process exits (the CLI's `start`). Default `false`: every node
   * dies within a second of this process, even when it is SIGKILLed.
   */
  detached?: boolean;
  /** More `redis.conf` settings, e.g. `{ 'notify-keyspace-events': 'KEA' }`. Win over the defaults. */
  extraConfig?: Record<string, string>;
  /** How long startup, and later each fault, may take to settle. Default 30 s. */
  timeoutMs?: number;
}

/**
 * Starts a Redis Cluster of `redis-server` processes on free ports and resolves once it is stable:
 * every node says `cluster_state:ok`, all agree on the slot map, and every node, replicas included,
 * is listed in CLUSTER SLOTS. Nodes live in a temp dir `cluster-pubsub-*` that `stop()` removes;
 * leftovers of a process that died without stopping its clusters are removed here.
 *
 * @example
 * ```ts
 * const cluster = await startCluster({ masters: 3, replicasPerMaster: 1 });
 * try {
 *   const rc = new RedisCluster({ startupNodes: cluster.startupNodes });
 * } finally {
 *   await cluster.stop();
 * }
 * ```
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<LocalCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 1;
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isInteger(masters) || masters < 1 || !Number.isInteger(replicas) || replicas < 0) {
    throw new InvalidClusterOperationError(
      `masters must be an integer >= 1 and replicasPerMaster >= 0, got ${masters} and ${replicas}`,
    );
  }
  const redisServer = resolveRedisServer(options.redisServerPath);
  await sweepLeftovers();
  for (let attempt = 1; ; attempt += 1) {
    const ports = await findFreePorts(masters * (1 + replicas), host);
    const nodes = ports.map((port) => ({ host, port }));
    const dir = createClusterDir(options.detached ?? false, host);
    const pool = new AdminConnections();
    try {
      const starts = await Promise.allSettled(
        nodes.map((node) => {
          const nodeDir = join(dir, String(node.port));
          writeNodeConfig({
            nodeDir,
            host,
            port: node.port,
            nodeTimeoutMs: options.nodeTimeoutMs ?? 2000,
            extraConfig: options.extraConfig ?? {},
          });
          const ownerPid = options.detached === true ? null : process.pid;
          return startNode({ pool, node, nodeDir, executable: redisServer.path, ownerPid, timeoutMs });
        }),
      );
      const failed = starts.find((start) => start.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      await createCluster(pool, nodes, masters, timeoutMs);
      return new LocalCluster(dir, nodes, redisServer, { timeoutMs });
    } catch (error) {
      await pool.close();
      await stopClusterDir(dir);
      // Another process may bind a port between our check and redis-server's bind.
      if (attempt < 3 && isPortTaken(error)) continue;
      throw error;
    } finally {
      await pool.close();
    }
  }
}
