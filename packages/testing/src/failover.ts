import type { ClusterSession } from './cluster-session';
import { InvalidClusterOperationError } from './errors';
import { addressOf, type HostPort } from './node-info';

/**
 * Options of `failover`.
 *
 * @example
 * ```ts
 * await cluster.failover(7003, { mode: 'force' }); // the master of 7003 is down
 * ```
 */
export interface FailoverOptions {
  /**
   * `default`: the replica and its master hand over in step (the master must be up).
   * `force`: without the master's agreement, still with a vote of the other masters.
   * `takeover`: without any vote.
   */
  mode?: 'default' | 'force' | 'takeover';
}

/**
 * Sends CLUSTER FAILOVER to the replica on `port`, or, when `port` is a master, to its live replica
 * with the lowest port. Resolves with the promoted node once every live node agrees it is master.
 * @internal
 */
export async function failover(
  session: ClusterSession,
  port: number,
  options: FailoverOptions = {},
): Promise<HostPort> {
  const nodes = await session.describe();
  const target = await session.node(port, nodes);
  const replica =
    target.role === 'replica'
      ? target
      : nodes.filter((node) => node.masterId === target.id && node.alive).sort((a, b) => a.port - b.port)[0];
  if (replica === undefined) {
    throw new InvalidClusterOperationError(`the master on port ${port} has no live replica to fail over to`);
  }
  const mode = options.mode ?? 'default';
  await session.pool.call(
    replica,
    'CLUSTER',
    'FAILOVER',
    ...(mode === 'default' ? [] : [mode.toUpperCase()]),
  );
  await session.waitForStable({
    what: `failing over to ${addressOf(replica)}`,
    until: (now) =>
      now.find((node) => node.id === replica.id)?.role === 'master'
        ? null
        : `${addressOf(replica)} is not master yet`,
  });
  return { host: replica.host, port: replica.port };
}
