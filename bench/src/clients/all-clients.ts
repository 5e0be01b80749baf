import type { Workload } from '../options';
import type { BenchClient } from './bench-client';

/** The workloads of the bare socket rows: it has no API for the others. */
const LIVE: readonly Workload[] = ['throughput', 'drain'];

/**
 * Every client, in table order: ours, the raw floor, the server's ceiling, then the peers;
 * classic before sharded.
 * Each client's module loads only in the process that runs it (node-redis alone takes 0.4 s).
 */
export const ALL_CLIENTS: readonly BenchClient[] = [
  {
    id: 'ours-fromChannel', label: 'ours fromChannel', kind: 'classic', family: 'ours',
    open: async (nodes) => (await import('./ours-streams')).openOursStreams('classic', nodes),
  },
  {
    id: 'ours-ClusterPubSub', label: 'ours ClusterPubSub', kind: 'classic', family: 'ours',
    open: async (nodes) => (await import('./ours-cluster-pubsub')).openOursClusterPubSub(nodes),
  },
  {
    id: 'raw-ioredis', label: 'raw ioredis on owner', kind: 'classic', family: 'raw',
    open: async (nodes) => (await import('./raw-ioredis')).openRawIoredis('classic', nodes),
  },
  {
    id: 'bare-socket', label: 'bare socket (server ceiling)', kind: 'classic', family: 'bare', workloads: LIVE,
    open: async (nodes) => (await import('./bare-socket')).openBareSocket('classic', nodes),
  },
  {
    id: 'ioredis-Cluster', label: 'ioredis Cluster', kind: 'classic', family: 'peer',
    open: async (nodes) => (await import('./ioredis-cluster')).openIoredisCluster('classic', nodes),
  },
  {
    id: 'node-redis-subscribe', label: 'node-redis cluster subscribe', kind: 'classic', family: 'peer',
    open: async (nodes) => (await import('./node-redis-cluster')).openNodeRedisCluster('classic', nodes),
  },
  {
    id: 'ours-fromShardChannel', label: 'ours fromShardChannel', kind: 'sharded', family: 'ours',
    open: async (nodes) => (await import('./ours-streams')).openOursStreams('sharded', nodes),
  },
  {
    id: 'raw-ioredis-sharded', label: 'raw ioredis on owner (sharded)', kind: 'sharded', family: 'raw',
    open: async (nodes) => (await import('./raw-ioredis')).openRawIoredis('sharded', nodes),
  },
  {
    id: 'bare-socket-sharded', label: 'bare socket (sharded, server ceiling)', kind: 'sharded', family: 'bare', workloads: LIVE,
    open: async (nodes) => (await import('./bare-socket')).openBareSocket('sharded', nodes),
  },
  {
    id: 'ioredis-Cluster-sharded', label: 'ioredis Cluster shardedSubscribers', kind: 'sharded', family: 'peer',
    open: async (nodes) => (await import('./ioredis-cluster')).openIoredisCluster('sharded', nodes),
  },
  {
    id: 'node-redis-sSubscribe', label: 'node-redis cluster sSubscribe', kind: 'sharded', family: 'peer',
    open: async (nodes) => (await import('./node-redis-cluster')).openNodeRedisCluster('sharded', nodes),
  },
];

/** The client with this id; throws with the list of ids otherwise. */
export function clientById(id: string): BenchClient {
  const client = ALL_CLIENTS.find((c) => c.id === id);
  if (!client) throw new Error(`unknown client "${id}"; known: ${ALL_CLIENTS.map((c) => c.id).join(', ')}`);
  return client;
}
