import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AdminConnections } from './admin-connections';
import { describeSnapshot, readSnapshot } from './cluster-snapshot';
import { InvalidClusterOperationError } from './errors';
import { addressOf, type HostPort, type NodeInfo } from './node-info';
import { NODE_FILES } from './node-process';
import { waitForStableTopology, type StabilityCheck } from './stability';

/** Where a node's files are, learnt from INFO server while it was up. @internal */
export interface NodeFiles {
  configFile: string;
  executable: string;
}

/**
 * What one operation on a cluster works with: admin connections (closed when the operation ends),
 * every node address seen so far, and the files of every node seen alive.
 * @internal
 */
export class ClusterSession {
  readonly pool = new AdminConnections();

  constructor(
    readonly known: Map<string, HostPort>,
    readonly files: Map<number, NodeFiles>,
    readonly timeoutMs: number,
  ) {}

  /** The topology from a live node, with pids, refreshing what is known about node files. */
  async describe(): Promise<NodeInfo[]> {
    const snapshot = await readSnapshot(this.pool, this.known, { serverInfo: true });
    for (const view of snapshot.live) {
      if (view.server !== undefined && view.server.configFile !== '')
        this.files.set(view.node.port, view.server);
    }
    return describeSnapshot(snapshot);
  }

  /** The node on `port` (in `nodes` if given, else as described now); throws if there is none. */
  async node(port: number, nodes?: NodeInfo[]): Promise<NodeInfo> {
    nodes ??= await this.describe();
    const node = nodes.find((candidate) => candidate.port === port);
    if (node === undefined) {
      throw new InvalidClusterOperationError(
        `no cluster node listens on port ${port}; nodes: ${nodes.map((n) => n.port).join(', ')}`,
      );
    }
    return node;
  }

  waitForStable(check: StabilityCheck = {}): Promise<NodeInfo[]> {
    return waitForStableTopology(this.pool, this.known, { timeoutMs: this.timeoutMs, ...check });
  }

  /**
   * The files of the node on `port`, even when it is down: from an earlier INFO, else from a live
   * sibling, since a local cluster keeps each node in `<cluster dir>/<port>/`.
   */
  filesOf(port: number): NodeFiles {
    const cached = this.files.get(port);
    if (cached !== undefined) return cached;
    for (const sibling of this.files.values()) {
      const configFile = join(dirname(dirname(sibling.configFile)), String(port), NODE_FILES.config);
      if (existsSync(configFile)) return { configFile, executable: sibling.executable };
    }
    throw new InvalidClusterOperationError(
      `cannot find the config file of the node on port ${port}: it is down and no live node of ` +
        'the cluster was started by @cluster-pubsub/testing',
    );
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Refuses to signal a process on another machine. @internal */
export function assertLocal(node: HostPort): void {
  if (!['127.0.0.1', 'localhost', '::1'].includes(node.host)) {
    throw new InvalidClusterOperationError(
      `${addressOf(node)} is not a local node; only local processes can be killed`,
    );
  }
}
