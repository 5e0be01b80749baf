/**
 * Where a node listens.
 *
 * @example
 * ```ts
 * const node: HostPort = { host: '127.0.0.1', port: 7000 };
 * ```
 */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * An inclusive range of hash slots, `[first, last]`.
 *
 * @example
 * ```ts
 * const owns = (ranges: SlotRange[], slot: number) => ranges.some(([a, b]) => a <= slot && slot <= b);
 * ```
 */
export type SlotRange = readonly [first: number, last: number];

/**
 * One node of the cluster as the cluster currently sees it (roles change after faults).
 *
 * @example
 * ```ts
 * const [first] = await cluster.describe();
 * console.log(first.port, first.role, first.slots, first.alive);
 * ```
 */
export interface NodeInfo extends HostPort {
  /** The 40-character cluster node id. */
  id: string;
  role: 'master' | 'replica';
  /** Node id of this replica's master; `null` for masters. */
  masterId: string | null;
  /** Slot ranges served, empty for replicas and for masters that own nothing. */
  slots: SlotRange[];
  /** Whether the node answers right now. */
  alive: boolean;
  /** Process id as reported by the node itself, `null` when it is down. */
  pid: number | null;
  /** Raw CLUSTER NODES flags (`master`, `slave`, `fail`, …) as seen by a live peer. */
  flags: string[];
}

/**
 * Total number of hash slots in a Redis Cluster.
 *
 * @example
 * ```ts
 * const served = masters.flatMap((m) => m.slots).reduce((n, [a, b]) => n + b - a + 1, 0);
 * expect(served).toBe(SLOT_COUNT);
 * ```
 */
export const SLOT_COUNT = 16384;

/** @internal */
export function addressOf(node: HostPort): string {
  return `${node.host}:${node.port}`;
}

/**
 * Parses `host:port` (what REDIS_CLUSTER_NODES and CLUSTER NODES carry).
 * @internal
 */
export function parseAddress(text: string): HostPort {
  const at = text.lastIndexOf(':');
  const port = Number(text.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new TypeError(`"${text}" is not host:port`);
  }
  return { host: text.slice(0, at), port };
}
