import type { AdminConnections } from './admin-connections';
import { isFlaggedDown, slotsSignature, type ClusterNodesEntry } from './cluster-replies';
import { describeSnapshot, readSnapshot, type ClusterSnapshot, type NodeView } from './cluster-snapshot';
import { addressOf, SLOT_COUNT, type HostPort, type NodeInfo } from './node-info';
import { waitUntil } from './wait-until';

/**
 * Options of `waitForStable`.
 *
 * @example
 * ```ts
 * await cluster.waitForStable({ timeoutMs: 10_000 });
 * ```
 */
export interface StabilityOptions {
  /** Give up after this long, with a `ClusterNotStableError` saying why. Default: 30 s. */
  timeoutMs?: number;
  /** Require every one of the 16384 slots to be served by a live master. Default: `true`. */
  fullCoverage?: boolean;
}

/** @internal */
export interface StabilityCheck extends StabilityOptions {
  /** An operation's own goal, checked on the agreed topology: a reason while unmet, else `null`. */
  until?: (nodes: NodeInfo[]) => string | null;
  what?: string;
}

/**
 * Resolves with the agreed topology once the cluster is stable: every live node says
 * `cluster_state:ok`, no slot is importing or migrating, every live node sees every other live
 * node as healthy and every dead node as `fail`, all live nodes agree on CLUSTER NODES roles/slots
 * and on CLUSTER SLOTS, every live replica of a slot owner is listed in CLUSTER SLOTS, and
 * (unless disabled) every slot has a live owner.
 * @internal
 */
export function waitForStableTopology(
  pool: AdminConnections,
  known: Map<string, HostPort>,
  check: StabilityCheck = {},
): Promise<NodeInfo[]> {
  return waitUntil(
    check.what ?? 'waiting for the cluster to become stable',
    async () => {
      const snapshot = await readSnapshot(pool, known);
      const reason = instability(snapshot, check.fullCoverage ?? true);
      if (reason !== null) return { done: false, reason };
      const nodes = describeSnapshot(snapshot);
      const unmet = check.until?.(nodes) ?? null;
      return unmet === null ? { done: true, value: nodes } : { done: false, reason: unmet };
    },
    { timeoutMs: check.timeoutMs ?? 30_000 },
  );
}

/** Why the snapshot is not stable, or `null` when it is. @internal */
export function instability(snapshot: ClusterSnapshot, fullCoverage: boolean): string | null {
  const { live } = snapshot;
  const [first] = live;
  if (first === undefined) return 'no node answers';
  const liveAddresses = new Set(live.map((view) => addressOf(view.node)));
  for (const view of live) {
    const reason = viewProblem(view, liveAddresses);
    if (reason !== null) return reason;
  }
  for (const view of live.slice(1)) {
    if (topologySignature(view) !== topologySignature(first)) {
      return `${name(first)} and ${name(view)} disagree on roles or slot owners`;
    }
    if (slotsSignature(view.slots) !== slotsSignature(first.slots)) {
      return `${name(first)} and ${name(view)} disagree on CLUSTER SLOTS`;
    }
  }
  const nodes = describeSnapshot(snapshot);
  const listed = new Set(first.slots.flatMap((range) => range.replicaIds));
  for (const replica of nodes.filter((node) => node.role === 'replica' && node.alive)) {
    const master = nodes.find((node) => node.id === replica.masterId);
    if (master !== undefined && master.slots.length > 0 && !listed.has(replica.id)) {
      return `replica ${addressOf(replica)} is not yet listed in CLUSTER SLOTS`;
    }
  }
  if (fullCoverage) {
    const served = nodes
      .filter((node) => node.alive && node.role === 'master')
      .flatMap((node) => node.slots)
      .reduce((sum, [from, to]) => sum + to - from + 1, 0);
    if (served !== SLOT_COUNT) return `${SLOT_COUNT - served} slots have no live master`;
  }
  return null;
}

function viewProblem(view: NodeView, liveAddresses: Set<string>): string | null {
  if (view.clusterState !== 'ok') return `${name(view)} says cluster_state:${view.clusterState}`;
  const seen = new Set<string>();
  for (const entry of view.nodes) {
    seen.add(addressOf(entry));
    if (entry.flags.includes('myself')) {
      if (entry.openSlots.length > 0) return `${name(view)} has open slots ${entry.openSlots.join(',')}`;
      continue;
    }
    const isLive = liveAddresses.has(addressOf(entry));
    if (isLive && (isFlaggedDown(entry) || !entry.connected)) {
      const link = entry.connected ? 'up' : 'down';
      return `${name(view)} sees ${addressOf(entry)} as ${entry.flags.join(',')} (link ${link})`;
    }
    if (!isLive && !entry.flags.includes('fail')) {
      return `${name(view)} does not yet flag the dead node ${addressOf(entry)} as fail`;
    }
  }
  const unknown = [...liveAddresses].find((address) => !seen.has(address));
  return unknown === undefined ? null : `${name(view)} does not know ${unknown} yet`;
}

function topologySignature(view: NodeView): string {
  return view.nodes
    .filter((entry) => !entry.flags.includes('handshake'))
    .map((entry: ClusterNodesEntry) => `${entry.id}:${entry.role}:${entry.masterId}:${entry.slots.join(' ')}`)
    .sort()
    .join('|');
}

function name(view: NodeView): string {
  return addressOf(view.node);
}
