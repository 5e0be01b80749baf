import { assertLocal, type ClusterSession } from './cluster-session';
import { InvalidClusterOperationError } from './errors';
import { addressOf, type HostPort } from './node-info';
import { signal, waitForGone } from './node-process';

/**
 * What `kill` did.
 *
 * @example
 * ```ts
 * const { promoted } = await cluster.kill(master.port); // promoted: the replica now serving its slots
 * ```
 */
export interface KillResult {
  killed: HostPort;
  /** The replica promoted in the killed master's place; `null` for a replica or a slot-less master. */
  promoted: HostPort | null;
}

/**
 * SIGKILLs the node on `port`. Resolves once the process is gone, every live node flags it `fail`,
 * and, when it was a master owning slots, one of its replicas has been elected in its place and
 * all agree. A master without replicas leaves its slots unserved, which this then accepts.
 * @internal
 */
export async function killNode(session: ClusterSession, port: number): Promise<KillResult> {
  const nodes = await session.describe();
  const victim = await session.node(port, nodes);
  assertLocal(victim);
  if (!victim.alive || victim.pid === null) {
    throw new InvalidClusterOperationError(`the node on port ${port} is already down`);
  }
  const replicaIds = new Set(nodes.filter((node) => node.masterId === victim.id).map((node) => node.id));
  const ownedSlots = victim.role === 'master' && victim.slots.length > 0;
  const expectPromotion = ownedSlots && nodes.some((node) => replicaIds.has(node.id) && node.alive);

  signal(victim.pid, 'SIGKILL');
  await waitForGone([victim.pid], [victim], 10_000);
  session.pool.forget(victim);

  let promoted: HostPort | null = null;
  await session.waitForStable({
    what: `waiting for the cluster to get over the loss of ${addressOf(victim)}`,
    fullCoverage: !ownedSlots || expectPromotion,
    until: (now) => {
      if (!expectPromotion) return null;
      const heir = now.find(
        (node) => replicaIds.has(node.id) && node.role === 'master' && node.slots.length > 0,
      );
      if (heir === undefined) return `no replica of ${addressOf(victim)} has been promoted yet`;
      promoted = { host: heir.host, port: heir.port };
      return null;
    },
  });
  return { killed: { host: victim.host, port: victim.port }, promoted };
}
