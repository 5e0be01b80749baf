import { attachCluster, type AttachOptions, type ClusterController } from './cluster-controller';
import { LocalClusterError } from './errors';
import { parseAddress, type HostPort } from './node-info';

/**
 * The environment variable naming the cluster under test: `host:port,host:port,…`.
 *
 * @example
 * ```ts
 * spawn('node', ['bench.js'], { env: { ...process.env, [CLUSTER_NODES_ENV]: cluster.nodesEnv } });
 * ```
 */
export const CLUSTER_NODES_ENV = 'REDIS_CLUSTER_NODES';

/**
 * The nodes of the cluster under test, from `REDIS_CLUSTER_NODES` (set by Jest's global setup, by
 * `scripts/with-cluster.mjs`, or by hand after `pnpm cluster start`).
 *
 * @example
 * ```ts
 * const rc = new RedisCluster({ startupNodes: clusterNodesFromEnv() });
 * ```
 */
export function clusterNodesFromEnv(env: NodeJS.ProcessEnv = process.env): HostPort[] {
  const value = env[CLUSTER_NODES_ENV]?.trim();
  if (value === undefined || value === '') {
    throw new LocalClusterError(
      `${CLUSTER_NODES_ENV} is not set. Run the tests through Jest (its global setup starts a ` +
        `cluster), or start one with "pnpm cluster start" and export the line it prints.`,
    );
  }
  try {
    return value.split(',').map((address) => parseAddress(address.trim()));
  } catch (error) {
    throw new LocalClusterError(`${CLUSTER_NODES_ENV}="${value}" is not a list of host:port`, {
      cause: error,
    });
  }
}

/**
 * A controller of the cluster under test: `attachCluster(clusterNodesFromEnv())`. The cluster is
 * shared by every test of the run, so only faults that leave it as they found it belong here
 * (killClients, a failover); tests that reshape it start their own with `startCluster`.
 *
 * @example
 * ```ts
 * const cluster = clusterUnderTest();
 * beforeEach(() => cluster.flushAll());
 * ```
 */
export function clusterUnderTest(options?: AttachOptions): ClusterController {
  return attachCluster(clusterNodesFromEnv(), options);
}
