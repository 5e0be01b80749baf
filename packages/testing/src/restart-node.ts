import { dirname } from 'node:path';
import { assertLocal, type ClusterSession } from './cluster-session';
import { ownerAlive, readOwner } from './cluster-dir';
import { addressOf, type NodeInfo } from './node-info';
import { signal, waitForGone } from './node-process';
import { startNode } from './start-node';

/**
 * Stops the node on `port` (SHUTDOWN NOSAVE NOW, SIGKILL if that hangs), or finds it already dead,
 * and starts it again from its own config file. It keeps its node id (kept in `nodes.conf`) but
 * no data. Resolves with its new state once it has rejoined (a master that was failed over comes
 * back as a replica of its successor) and every live node agrees.
 *
 * The new process is tied to the cluster's owner (the process that called `startCluster`), not
 * to the caller, so a Jest worker can restart a node of the cluster that global setup started.
 * @internal
 */
export async function restartNode(session: ClusterSession, port: number): Promise<NodeInfo> {
  const nodes = await session.describe();
  const node = await session.node(port, nodes);
  assertLocal(node);
  const files = session.filesOf(port);
  if (node.alive && node.pid !== null) {
    // Never replies: the connection just closes.
    await session.pool.tryCall(node, 'SHUTDOWN', 'NOSAVE', 'NOW');
    if (!(await waitForGone([node.pid], [node], 5000))) {
      signal(node.pid, 'SIGKILL');
      await waitForGone([node.pid], [node], 5000);
    }
  }
  session.pool.forget(node);

  const nodeDir = dirname(files.configFile);
  const owner = readOwner(dirname(nodeDir));
  const ownerPid = owner === null || owner.detached ? null : ownerAlive(owner) ? owner.pid : process.pid;
  await startNode({
    pool: session.pool,
    node,
    nodeDir,
    executable: files.executable,
    ownerPid,
    timeoutMs: session.timeoutMs,
  });
  await session.waitForStable({ what: `waiting for ${addressOf(node)} to rejoin` });
  return session.node(port);
}
