import type { AdminConnections } from './admin-connections';
import { parseClusterNodes, parseInfo } from './cluster-replies';
import { addressOf, SLOT_COUNT, type HostPort, type NodeInfo } from './node-info';
import { waitForStableTopology } from './stability';
import { waitUntil } from './wait-until';

/**
 * Forms a cluster out of fresh, empty nodes, as `redis-cli --cluster create` does but without its
 * fixed sleeps: the first `masters` nodes split the slots evenly, the rest become replicas
 * round-robin (node `masters + k` replicates master `k % masters`).
 * Resolves with the topology once it is stable and every replica is listed in CLUSTER SLOTS.
 * @internal
 */
export async function createCluster(
  pool: AdminConnections,
  nodes: HostPort[],
  masters: number,
  timeoutMs: number,
): Promise<NodeInfo[]> {
  const ids = await Promise.all(nodes.map(async (node) => String(await pool.call(node, 'CLUSTER', 'MYID'))));
  // Distinct epochs before meeting: otherwise nodes resolve epoch collisions one gossip round at a
  // time, which delays agreement on who owns which slots.
  await Promise.all(nodes.map((node, i) => pool.call(node, 'CLUSTER', 'SET-CONFIG-EPOCH', i + 1)));
  await Promise.all(
    nodes.slice(0, masters).map((node, i) => {
      const first = Math.floor((i * SLOT_COUNT) / masters);
      const last = Math.floor(((i + 1) * SLOT_COUNT) / masters) - 1;
      return pool.call(node, 'CLUSTER', 'ADDSLOTSRANGE', first, last);
    }),
  );
  // Every pair meets directly: meeting one seed and learning the rest by gossip takes seconds.
  await Promise.all(
    nodes.flatMap((node, i) =>
      nodes.slice(i + 1).map((peer) => pool.call(node, 'CLUSTER', 'MEET', peer.host, peer.port)),
    ),
  );
  await waitUntil(
    'waiting for the nodes to meet',
    async () => {
      const views = await Promise.all(
        nodes.map(async (node) =>
          parseClusterNodes(String(await pool.call(node, 'CLUSTER', 'NODES')), node.host),
        ),
      );
      const lagging = views.findIndex(
        (view) => view.length !== nodes.length || view.some((entry) => entry.flags.includes('handshake')),
      );
      return lagging === -1
        ? { done: true, value: undefined }
        : {
            done: false,
            reason: `${addressOf(nodes[lagging] as HostPort)} knows ${views[lagging]?.length} nodes`,
          };
    },
    { timeoutMs, intervalMs: 20 },
  );
  const replicas = nodes.slice(masters);
  await Promise.all(
    replicas.map((node, k) => pool.call(node, 'CLUSTER', 'REPLICATE', ids[k % masters] as string)),
  );
  await waitUntil(
    'waiting for the replicas to sync',
    async () => {
      const infos = await Promise.all(
        replicas.map(async (node) => parseInfo(String(await pool.call(node, 'INFO', 'replication')))),
      );
      const lagging = infos.findIndex((info) => info.get('master_link_status') !== 'up');
      return lagging === -1
        ? { done: true, value: undefined }
        : {
            done: false,
            reason: `${addressOf(replicas[lagging] as HostPort)} has not synced with its master`,
          };
    },
    { timeoutMs, intervalMs: 20 },
  );
  // A write moves the masters' replication offsets; Redis omits replicas at offset 0 from
  // CLUSTER SLOTS, so this lists them at once instead of at the next replication ping.
  await Promise.all(nodes.slice(0, masters).map((node) => pool.call(node, 'FLUSHALL')));
  const known = new Map(nodes.map((node) => [addressOf(node), node]));
  return waitForStableTopology(pool, known, { timeoutMs, what: 'waiting for the new cluster to settle' });
}
