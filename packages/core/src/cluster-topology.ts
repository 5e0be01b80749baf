import { Cluster, type ClusterNode, type ClusterOptions } from 'ioredis';
import type Redis from 'ioredis';
import { ClusterPubSubError, ConnectionLostError, messageOf } from './errors';
import { natMapped } from './nat-map';
import { SlotMapWatch } from './slot-map-watch';

/**
 * @internal The cluster as ioredis sees it: the slot map (NAT-mapped node keys `host:port`) and a
 * command connection per node. One place answers "who owns this slot", so routing never reads
 * ioredis internals anywhere else.
 */
export class ClusterTopology {
  readonly cluster: Cluster;
  private readyPromise: Promise<void> | undefined;
  private byKey = new Map<string, Redis>();
  private masterKeys: Set<string> | undefined;

  /** Looks at the slot map periodically from the first connect until close (see the constructor). */
  private readonly watch: SlotMapWatch;
  private closed = false;

  constructor(startupNodes: ClusterNode[], options: ClusterOptions) {
    // A failover or migration that no command of ours runs into still shows up within a second.
    // The timer is ours, not ioredis's: a refresh in flight when ioredis's cluster quits re-arms
    // its timer, which then runs forever and keeps the process alive.
    const { slotsRefreshInterval = 1000, ...rest } = options;
    this.cluster = new Cluster(startupNodes, { ...rest, slotsRefreshInterval: 0, lazyConnect: true });
    this.watch = new SlotMapWatch(
      this.cluster,
      slotsRefreshInterval,
      options.slotsRefreshTimeout ?? 1000,
      () => this.refresh(),
      (nodeKey) => {
        const node = this.commandNode(nodeKey);
        return node !== undefined && node.status !== 'end';
      },
    );
    // Without a listener an unreachable node would crash the process; failures reach callers
    // through the commands they issue.
    this.cluster.on('error', () => undefined);
    const reindex = (): void => {
      this.byKey = new Map();
      this.masterKeys = undefined;
    };
    this.cluster.on('refresh', reindex);
    this.cluster.on('+node', reindex);
    this.cluster.on('-node', reindex);
  }

  /** Calls `listener` after every slot-map refresh (periodic, after MOVED, or asked for). */
  onRefresh(listener: () => void): void {
    this.cluster.on('refresh', listener);
  }

  get isReady(): boolean {
    return this.cluster.status === 'ready';
  }

  /** Connects on first use; resolves once the slot map is known. */
  ready(): Promise<void> {
    if (this.isReady) return Promise.resolve();
    this.readyPromise ??= this.cluster.connect().then(
      () => this.refreshPeriodically(),
      (error: unknown) => {
        this.readyPromise = undefined;
        throw new ConnectionLostError(
          `could not reach the cluster (${messageOf(error)}); check startupNodes and that the nodes are up`,
          { cause: error },
        );
      },
    );
    return this.readyPromise;
  }

  /** The master serving `slot`, as `host:port`. */
  ownerOf(slot: number): string {
    const owner = this.cluster.slots[slot]?.[0];
    if (!owner) {
      throw new ClusterPubSubError(`no node serves slot ${slot}; the cluster is not fully covered`);
    }
    return owner;
  }

  /** Whether `nodeKey` serves any slot as master in the current slot map. */
  isMaster(nodeKey: string): boolean {
    if (!this.masterKeys) {
      this.masterKeys = new Set();
      for (const owners of this.cluster.slots) if (owners?.[0]) this.masterKeys.add(owners[0]);
    }
    return this.masterKeys.has(nodeKey);
  }

  /** A node's `host:port` as the cluster announces it (a MOVED reply), as the slot map keys it. */
  nodeKeyOf(announced: string): string {
    return natMapped(this.cluster.options.natMap, announced);
  }

  /** The command connection of one node, or undefined when the node is unknown. */
  commandNode(nodeKey: string): Redis | undefined {
    if (this.byKey.size === 0) {
      for (const redis of this.cluster.nodes('all')) {
        this.byKey.set(`${redis.options.host}:${redis.options.port}`, redis);
      }
    }
    return this.byKey.get(nodeKey);
  }

  /** Every node's command connection: masters and replicas. */
  allNodes(): Redis[] {
    return this.cluster.nodes('all');
  }

  private refreshPeriodically(): void {
    if (!this.closed) this.watch.start();
  }

  /** Asks the cluster for its slot map again. */
  refresh(): Promise<void> {
    return new Promise((resolve) => this.cluster.refreshSlotsCache(() => resolve()));
  }

  /**
   * Quits every command connection, letting commands already sent finish; a node that has not
   * answered within QUIT_GRACE_MS (frozen, or cut off without a reset) is dropped instead, so
   * closing never waits on the network.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.watch.stop();
    this.readyPromise = undefined;
    if (this.cluster.status === 'end' || this.cluster.status === 'wait') {
      this.cluster.disconnect();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), QUIT_GRACE_MS)));
    const quit = this.cluster.quit().then(
      () => 'quit' as const,
      () => 'failed' as const,
    );
    const outcome = await Promise.race([quit, graceOver]);
    clearTimeout(timer);
    if (outcome !== 'quit') this.cluster.disconnect();
  }
}

/** How long `close()` waits for nodes to acknowledge QUIT before it drops their connections. */
const QUIT_GRACE_MS = 1000;
