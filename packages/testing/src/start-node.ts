import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdminConnections } from './admin-connections';
import { NodeStartError } from './errors';
import type { HostPort } from './node-info';
import { isAlive, NODE_FILES, spawnNode } from './node-process';
import { sleep } from './wait-until';

/**
 * Spawns the node configured in `nodeDir` and resolves once it answers PING. Fails fast, with the
 * node's own last words, when the process exits first (port taken, bad config).
 * @internal
 */
export async function startNode(options: {
  pool: AdminConnections;
  node: HostPort;
  nodeDir: string;
  executable: string;
  ownerPid: number | null;
  timeoutMs: number;
}): Promise<void> {
  const { pool, node, nodeDir } = options;
  const spawned = spawnNode(options);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    // A node still loading or starting refuses the connection or answers with an error.
    if ((await pool.tryCall(node, 'PING')) === 'PONG') return;
    pool.forget(node);
    if (!isAlive(spawned) || Date.now() > deadline) {
      throw new NodeStartError(node.port, logTail(nodeDir));
    }
    await sleep(10);
  }
}

/** Whether a start failure was a port taken by someone else, worth retrying on fresh ports. @internal */
export function isPortTaken(error: unknown): boolean {
  return error instanceof NodeStartError && /address already in use/i.test(error.log);
}

function logTail(nodeDir: string): string {
  const read = (file: string): string => {
    try {
      return readFileSync(join(nodeDir, file), 'utf8');
    } catch {
      return '';
    }
  };
  const text = `${read(NODE_FILES.stderr)}${read(NODE_FILES.log)}`.trim();
  return text.split('\n').slice(-15).join('\n') || '(no output)';
}
