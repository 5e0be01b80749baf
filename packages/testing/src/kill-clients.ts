import type { ClusterSession } from './cluster-session';
import type { HostPort } from './node-info';

/**
 * Client types as CLIENT LIST / CLIENT KILL name them.
 *
 * @example
 * ```ts
 * const type: ClientType = 'pubsub';
 * expect(await cluster.countClients(port, type)).toBe(1);
 * ```
 */
export type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

/**
 * Which connections `killClients` closes; each field is one CLIENT KILL filter, all must match.
 *
 * @example
 * ```ts
 * await cluster.killClients(port, { type: 'pubsub' });     // every subscriber connection
 * await cluster.killClients(port, { addr: '127.0.0.1:53122' });
 * ```
 */
export interface KillClientsFilter {
  type?: ClientType;
  user?: string;
  /** The client's own `ip:port`. */
  addr?: string;
  /** The server-side `ip:port` the client is connected to. */
  laddr?: string;
  id?: number;
  /**
   * Spare the admin connection that sends the command. Default `true`; with `false` and no other
   * filter, every connection goes.
   */
  skipme?: boolean;
}

/** CLIENT KILL with the new-style filters; resolves with how many connections were closed. @internal */
export async function killClients(
  session: ClusterSession,
  node: HostPort,
  filter: KillClientsFilter,
): Promise<number> {
  const args: (string | number)[] = [];
  if (filter.id !== undefined) args.push('ID', filter.id);
  if (filter.type !== undefined) args.push('TYPE', filter.type);
  if (filter.user !== undefined) args.push('USER', filter.user);
  if (filter.addr !== undefined) args.push('ADDR', filter.addr);
  if (filter.laddr !== undefined) args.push('LADDR', filter.laddr);
  args.push('SKIPME', filter.skipme === false ? 'no' : 'yes');
  const killed = await session.pool.call(node, 'CLIENT', 'KILL', ...args);
  if (filter.skipme === false) session.pool.forget(node);
  return Number(killed);
}

/**
 * Counts connections from CLIENT LIST, optionally of one type, leaving out the admin connection
 * that asks.
 * @internal
 */
export async function countClients(
  session: ClusterSession,
  node: HostPort,
  type?: ClientType,
): Promise<number> {
  const [list, ownId] = await Promise.all([
    session.pool.call(node, 'CLIENT', 'LIST', ...(type === undefined ? [] : ['TYPE', type])),
    session.pool.call(node, 'CLIENT', 'ID'),
  ]);
  return String(list)
    .split('\n')
    .filter((line) => line.startsWith('id=') && !line.startsWith(`id=${String(ownId)} `)).length;
}
