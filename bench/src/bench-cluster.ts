import { CLUSTER_NODES_ENV, clusterNodesFromEnv, startCluster, type HostPort } from '@cluster-pubsub/testing';

/** The cluster the bench runs against, and how to let go of it. */
export interface BenchCluster {
  readonly nodes: readonly HostPort[];
  /** Whether the bench started it (then `release` stops it). */
  readonly started: boolean;
  release(): Promise<void>;
}

/**
 * The cluster named by REDIS_CLUSTER_NODES, or else a local one of 3 masters and 3 replicas
 * started by `@cluster-pubsub/testing` for this run (its nodes die with this process).
 */
export async function acquireCluster(): Promise<BenchCluster> {
  if ((process.env[CLUSTER_NODES_ENV] ?? '').trim() !== '') {
    return { nodes: clusterNodesFromEnv(), started: false, release: async () => undefined };
  }
  const cluster = await startCluster({ masters: 3, replicasPerMaster: 1 });
  return { nodes: cluster.startupNodes, started: true, release: () => cluster.stop() };
}
