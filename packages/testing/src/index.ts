/* Local cluster */
export { startCluster, type StartClusterOptions } from './start-cluster';
export { LocalCluster } from './local-cluster';
export { stopClusterDir, CLUSTER_DIR_PREFIX } from './cluster-dir';
export { findFreePorts, BUS_PORT_OFFSET } from './free-ports';

/* Faults and inspection */
export { attachCluster, ClusterController, type AttachOptions } from './cluster-controller';
export type { FailoverOptions } from './failover';
export type { KillResult } from './kill-node';
export type { ClientType, KillClientsFilter } from './kill-clients';
export type { StabilityOptions } from './stability';
export { SLOT_COUNT, type HostPort, type NodeInfo, type SlotRange } from './node-info';

/* Tests */
export { clusterNodesFromEnv, clusterUnderTest, CLUSTER_NODES_ENV } from './cluster-nodes-from-env';

/* Errors */
export {
  LocalClusterError,
  RedisServerNotFoundError,
  RedisServerTooOldError,
  NodeStartError,
  ClusterNotStableError,
  InvalidClusterOperationError,
} from './errors';
