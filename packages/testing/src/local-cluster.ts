import { ClusterController, type AttachOptions } from './cluster-controller';
import type { ClusterSession } from './cluster-session';
import { stopClusterDir } from './cluster-dir';
import { InvalidClusterOperationError } from './errors';
import type { HostPort } from './node-info';

/**
 * A cluster started by `startCluster`: a `ClusterController` (inspection and faults) that also
 * owns the processes and the temp directory, both gone once `stop()` resolves.
 *
 * @example
 * ```ts
 * await using cluster = await startCluster({ masters: 3, replicasPerMaster: 1 });
 * const client = new Cluster(cluster.startupNodes);
 * ```
 */
export class LocalCluster extends ClusterController {
  #stopping: Promise<void> | undefined;

  /** @internal */
  constructor(
    /** The temp directory holding one sub-directory per node, named after its port. */
    readonly dir: string,
    startupNodes: readonly HostPort[],
    /** The `redis-server` binary the nodes run. */
    readonly redisServer: { path: string; version: string },
    options?: AttachOptions,
  ) {
    super(startupNodes, options);
  }

  /** `host:port,host:port,…` of every node, the format of `REDIS_CLUSTER_NODES`. */
  get nodesEnv(): string {
    return this.startupNodes.map(({ host, port }) => `${host}:${port}`).join(',');
  }

  /** Whether `stop()` has been called. */
  get stopped(): boolean {
    return this.#stopping !== undefined;
  }

  /**
   * Kills every node (SIGKILL: nothing is persisted anyway), waits until each process has exited
   * and its port is closed, and removes the temp directory. Calling it again returns the same
   * promise.
   */
  stop(): Promise<void> {
    this.#stopping ??= stopClusterDir(this.dir);
    return this.#stopping;
  }

  /** `await using cluster = await startCluster()` stops it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /** @internal */
  protected override session<T>(operation: (session: ClusterSession) => Promise<T>): Promise<T> {
    if (this.stopped) {
      return Promise.reject(new InvalidClusterOperationError(`the cluster in ${this.dir} has been stopped`));
    }
    return super.session(operation);
  }
}
