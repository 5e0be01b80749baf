import type { AdminConnections } from './admin-connections';
import {
  parseClusterNodes,
  parseClusterSlots,
  parseInfo,
  type ClusterNodesEntry,
  type SlotsRange,
} from './cluster-replies';
import { addressOf, type HostPort, type NodeInfo } from './node-info';

/**
 * What one node said, or that it did not answer.
 * @internal
 */
export interface NodeView {
  node: HostPort;
  alive: boolean;
  clusterState: string;
  nodes: ClusterNodesEntry[];
  slots: SlotsRange[];
  /** From INFO server, only when asked for. */
  server?: { pid: number; configFile: string; executable: string };
}

/**
 * Every known node's view of the cluster at (nearly) one moment.
 * @internal
 */
export interface ClusterSnapshot {
  views: NodeView[];
  live: NodeView[];
}

/**
 * Asks every node in `known` (and every node they mention, which is added to `known`) for
 * CLUSTER INFO, CLUSTER NODES and CLUSTER SLOTS.
 * @internal
 */
export async function readSnapshot(
  pool: AdminConnections,
  known: Map<string, HostPort>,
  options: { serverInfo?: boolean } = {},
): Promise<ClusterSnapshot> {
  const views = new Map<string, NodeView>();
  for (let pending = [...known.values()]; pending.length > 0; ) {
    const read = await Promise.all(pending.map((node) => readView(pool, node, options.serverInfo)));
    pending = [];
    for (const view of read) {
      views.set(addressOf(view.node), view);
      for (const entry of view.nodes) {
        // A node in handshake may be announced under a transient address; wait until it is real.
        if (entry.host === '' || entry.flags.includes('handshake') || entry.flags.includes('noaddr')) {
          continue;
        }
        const key = addressOf(entry);
        if (!known.has(key)) {
          known.set(key, { host: entry.host, port: entry.port });
          pending.push({ host: entry.host, port: entry.port });
        }
      }
    }
  }
  const all = [...views.values()].sort((a, b) => a.node.port - b.node.port);
  return { views: all, live: all.filter((view) => view.alive) };
}

/**
 * The cluster as `NodeInfo[]`, sorted by port, from the live node with the lowest port (callers
 * that need agreement wait for stability first).
 * @internal
 */
export function describeSnapshot(snapshot: ClusterSnapshot): NodeInfo[] {
  const reference = snapshot.live[0];
  if (reference === undefined) return [];
  const byAddress = new Map(snapshot.views.map((view) => [addressOf(view.node), view]));
  return reference.nodes
    .filter((entry) => !entry.flags.includes('handshake') && !entry.flags.includes('noaddr'))
    .map((entry) => {
      const view = byAddress.get(addressOf(entry));
      return {
        host: entry.host,
        port: entry.port,
        id: entry.id,
        role: entry.role,
        masterId: entry.masterId,
        slots: entry.slots,
        alive: view?.alive ?? false,
        pid: view?.server?.pid ?? null,
        flags: entry.flags.filter((flag) => flag !== 'myself'),
      };
    })
    .sort((a, b) => a.port - b.port);
}

async function readView(pool: AdminConnections, node: HostPort, serverInfo = false): Promise<NodeView> {
  try {
    const [info, nodes, slots, server] = await Promise.all([
      pool.call(node, 'CLUSTER', 'INFO'),
      pool.call(node, 'CLUSTER', 'NODES'),
      pool.call(node, 'CLUSTER', 'SLOTS'),
      serverInfo ? pool.call(node, 'INFO', 'server') : undefined,
    ]);
    const serverFields = typeof server === 'string' ? parseInfo(server) : undefined;
    return {
      node,
      alive: true,
      clusterState: parseInfo(String(info)).get('cluster_state') ?? 'unknown',
      nodes: parseClusterNodes(String(nodes), node.host),
      slots: parseClusterSlots(slots),
      ...(serverFields && {
        server: {
          pid: Number(serverFields.get('process_id')),
          configFile: serverFields.get('config_file') ?? '',
          executable: serverFields.get('executable') ?? '',
        },
      }),
    };
  } catch {
    return { node, alive: false, clusterState: 'down', nodes: [], slots: [] };
  }
}
