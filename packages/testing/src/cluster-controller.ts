import { ClusterSession, type NodeFiles } from './cluster-session';
import { InvalidClusterOperationError } from './errors';
import { failover, type FailoverOptions } from './failover';
import { countClients, killClients, type ClientType, type KillClientsFilter } from './kill-clients';
import { killNode, type KillResult } from './kill-node';
import { migrateSlot } from './migrate-slot';
import { addressOf, type HostPort, type NodeInfo } from './node-info';
import { restartNode } from './restart-node';
import type { StabilityOptions } from './stability';

/**
 * Options of `attachCluster`.
 *
 * @example
 * ```ts
 * const cluster = attachCluster(nodes, { timeoutMs: 10_000 });
 * ```
 */
export interface AttachOptions {
  /** How long a fault or `waitForStable` may wait for the cluster to settle. Default: 30 s. */
  timeoutMs?: number;
}

/**
 * Inspects a running cluster and injects faults into it. Everything is learnt from the servers
 * (CLUSTER NODES, INFO server), so it works on any local cluster started by this package, from any
 * process. Nodes are named by port. It keeps no connection open between calls: nothing to close.
 *
 * Every fault resolves only once the cluster is stable again (see `waitForStable`) and its effect
 * holds, so the next line of a test can rely on the new topology.
 *
 * @example
 * ```ts
 * const cluster = attachCluster([{ host: '127.0.0.1', port: 7000 }]);
 * const master = await cluster.masterOf('news');
 * const promoted = await cluster.failover(master.port); // its replica is master now
 * ```
 */
export class ClusterController {
  readonly startupNodes: readonly HostPort[];
  readonly #known: Map<string, HostPort>;
  readonly #files = new Map<number, NodeFiles>();
  readonly #timeoutMs: number;

  constructor(startupNodes: readonly HostPort[], options: AttachOptions = {}) {
    if (startupNodes.length === 0)
      throw new InvalidClusterOperationError('at least one startup node is needed');
    this.startupNodes = startupNodes.map(({ host, port }) => ({ host, port }));
    this.#known = new Map(this.startupNodes.map((node) => [addressOf(node), node]));
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Every node, sorted by port, with its current role, slots, liveness and pid. */
  describe(): Promise<NodeInfo[]> {
    return this.session((s) => s.describe());
  }

  /** The live masters that own slots, in slot order. */
  async masters(): Promise<NodeInfo[]> {
    const nodes = await this.describe();
    return nodes
      .filter((node) => node.role === 'master' && node.alive && node.slots.length > 0)
      .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
  }

  /** The replicas (live or not) of the master on `port`, by port. */
  async replicasOf(port: number): Promise<NodeInfo[]> {
    const nodes = await this.describe();
    const master = nodes.find((node) => node.port === port);
    return nodes.filter((node) => master !== undefined && node.masterId === master.id);
  }

  /** The master serving a slot, or the slot of a key / channel name (as CLUSTER KEYSLOT says). */
  masterOf(slotOrKey: number | string): Promise<HostPort> {
    return this.session(async (s) => {
      const nodes = await s.describe();
      const live = nodes.filter((node) => node.alive);
      const slot =
        typeof slotOrKey === 'number'
          ? slotOrKey
          : Number(await s.pool.call(live[0] ?? this.startupNodes[0]!, 'CLUSTER', 'KEYSLOT', slotOrKey));
      const owner = live.find(
        (node) => node.role === 'master' && node.slots.some(([a, b]) => a <= slot && slot <= b),
      );
      if (owner === undefined) throw new InvalidClusterOperationError(`no live master serves slot ${slot}`);
      return { host: owner.host, port: owner.port };
    });
  }

  /**
   * Resolves with the topology once every live node says `cluster_state:ok`, all agree on roles
   * and slot owners (CLUSTER NODES and CLUSTER SLOTS alike), dead nodes are flagged `fail` by all,
   * no slot is half-migrated, every replica is listed in CLUSTER SLOTS and every slot is served.
   */
  waitForStable(options: StabilityOptions = {}): Promise<NodeInfo[]> {
    return this.session((s) => s.waitForStable(options));
  }

  /** FLUSHALL on every live master (replicas follow by replication). */
  flushAll(): Promise<void> {
    return this.session(async (s) => {
      const nodes = await s.describe();
      await Promise.all(
        nodes.filter((n) => n.role === 'master' && n.alive).map((n) => s.pool.call(n, 'FLUSHALL')),
      );
    });
  }

  /** How many connections the node on `port` has (of one type if given), from CLIENT LIST. */
  countClients(port: number, type?: ClientType): Promise<number> {
    return this.session((s) => countClients(s, this.#at(port), type));
  }

  /** CLIENT KILL on the node on `port` with the given filters; resolves with how many went. */
  killClients(port: number, filter: KillClientsFilter = {}): Promise<number> {
    return this.session((s) => killClients(s, this.#at(port), filter));
  }

  /**
   * CLUSTER FAILOVER on the replica on `port`, or, if `port` is a master, on its live replica with
   * the lowest port. Resolves with the new master once all agree.
   */
  failover(port: number, options?: FailoverOptions): Promise<HostPort> {
    return this.session((s) => failover(s, port, options));
  }

  /** SIGKILLs the node on `port`; resolves once its replica (if any) has taken over and all agree. */
  kill(port: number): Promise<KillResult> {
    return this.session((s) => killNode(s, port));
  }

  /** Stops (or finds dead) and restarts the node on `port`; resolves once it has rejoined. */
  restart(port: number): Promise<NodeInfo> {
    return this.session((s) => restartNode(s, port));
  }

  /** Moves `slot` and its keys to the master on `toPort`; resolves once all agree on the owner. */
  migrateSlot(slot: number, toPort: number): Promise<void> {
    return this.session((s) => migrateSlot(s, slot, toPort));
  }

  /** Runs one operation with its own admin connections, closed whatever happens. @internal */
  protected async session<T>(operation: (session: ClusterSession) => Promise<T>): Promise<T> {
    const session = new ClusterSession(this.#known, this.#files, this.#timeoutMs);
    try {
      return await operation(session);
    } finally {
      await session.close();
    }
  }

  #at(port: number): HostPort {
    const known = [...this.#known.values()].find((node) => node.port === port);
    return known ?? { host: this.startupNodes[0]!.host, port };
  }
}

/**
 * A `ClusterController` for a running cluster, e.g. the one Jest's global setup started, from a
 * test in a worker process. Synchronous: nothing is contacted before the first call.
 *
 * @example
 * ```ts
 * const cluster = attachCluster(clusterNodesFromEnv());
 * await cluster.killClients((await cluster.masterOf('news')).port, { type: 'pubsub' });
 * ```
 */
export function attachCluster(startupNodes: readonly HostPort[], options?: AttachOptions): ClusterController {
  return new ClusterController(startupNodes, options);
}
