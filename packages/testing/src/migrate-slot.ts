import type { ClusterSession } from './cluster-session';
import { InvalidClusterOperationError } from './errors';
import { SLOT_COUNT } from './node-info';

/** Keys moved per MIGRATE, as redis-cli's `--cluster-pipeline` default. */
const BATCH = 10;

/**
 * Moves one slot, with its keys, to the master on `toPort` the way `redis-cli --cluster reshard`
 * does: IMPORTING on the target, MIGRATING on the source, GETKEYSINSLOT + MIGRATE until the slot is
 * empty on the source, then SETSLOT NODE on the target, the source and every other master.
 * Resolves once every live node agrees the target owns the slot. Nothing happens if it already does.
 * @internal
 */
export async function migrateSlot(session: ClusterSession, slot: number, toPort: number): Promise<void> {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) {
    throw new InvalidClusterOperationError(
      `slot must be an integer from 0 to ${SLOT_COUNT - 1}, got ${slot}`,
    );
  }
  const nodes = await session.describe();
  const target = await session.node(toPort, nodes);
  if (target.role !== 'master' || !target.alive) {
    throw new InvalidClusterOperationError(
      `the node on port ${toPort} is not a live master; only masters own slots`,
    );
  }
  const source = nodes.find(
    (node) => node.role === 'master' && node.slots.some(([a, b]) => a <= slot && slot <= b),
  );
  if (source === undefined || !source.alive) {
    throw new InvalidClusterOperationError(`slot ${slot} has no live owner to migrate it from`);
  }
  if (source.id === target.id) return;

  const { pool } = session;
  await pool.call(target, 'CLUSTER', 'SETSLOT', slot, 'IMPORTING', source.id);
  await pool.call(source, 'CLUSTER', 'SETSLOT', slot, 'MIGRATING', target.id);
  for (;;) {
    const keys = (await pool.call(source, 'CLUSTER', 'GETKEYSINSLOT', slot, BATCH)) as string[];
    if (keys.length === 0) break;
    await pool.call(source, 'MIGRATE', target.host, target.port, '', 0, 10_000, 'REPLACE', 'KEYS', ...keys);
  }
  // Target first: told first, the source would send MOVED to a target that, still importing, only
  // serves ASKING clients and sends them back with MOVED: a redirect loop.
  await pool.call(target, 'CLUSTER', 'SETSLOT', slot, 'NODE', target.id);
  await pool.call(source, 'CLUSTER', 'SETSLOT', slot, 'NODE', target.id);
  const others = nodes.filter(
    (node) => node.role === 'master' && node.alive && node.id !== source.id && node.id !== target.id,
  );
  // Best effort: the target's bumped epoch reaches them by gossip anyway.
  await Promise.all(others.map((node) => pool.tryCall(node, 'CLUSTER', 'SETSLOT', slot, 'NODE', target.id)));

  await session.waitForStable({
    what: `moving slot ${slot} to port ${toPort}`,
    until: (now) => {
      const owner = now.find(
        (node) => node.role === 'master' && node.slots.some(([a, b]) => a <= slot && slot <= b),
      );
      return owner?.id === target.id ? null : `slot ${slot} is still owned by ${owner?.port ?? 'nobody'}`;
    },
  });
}
