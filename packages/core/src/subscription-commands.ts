import type Redis from 'ioredis';
import { ReplyError } from 'ioredis';
import { isAscii } from './names';
import type { SubscriptionKind } from './pubsub-message';

/** @internal */
export type Op = 'subscribe' | 'unsubscribe';

/** @internal How a subscription command ended. */
export type Outcome =
  | { readonly type: 'ok'; readonly count: number }
  /** The server answered with an error (ACL NOPERM, MOVED, …). */
  | { readonly type: 'refused'; readonly error: Error }
  /** The connection dropped before an answer: the caller replans after reconnecting. */
  | { readonly type: 'dropped' };

const COMMANDS = {
  channel: { subscribe: 'subscribe', unsubscribe: 'unsubscribe' },
  pattern: { subscribe: 'psubscribe', unsubscribe: 'punsubscribe' },
  shard: { subscribe: 'ssubscribe', unsubscribe: 'sunsubscribe' },
} as const;

/** @internal Sends one (P|S)(UN)SUBSCRIBE for `keys` (latin1 map keys of the names' bytes). */
export async function sendSubscription(redis: Redis, kind: SubscriptionKind, op: Op, keys: string[]): Promise<Outcome> {
  // ASCII keys go as they are (ioredis writes all-string commands fastest); others as their bytes.
  const args = keys.map((key) => (isAscii(key) ? key : Buffer.from(key, 'latin1')));
  // ioredis types each command by its own overloads; all six take names and resolve a count.
  const command = redis[COMMANDS[kind][op]] as (...names: (string | Buffer)[]) => Promise<unknown>;
  try {
    return { type: 'ok', count: Number(await command.apply(redis, args)) };
  } catch (error) {
    return error instanceof ReplyError ? { type: 'refused', error: error as Error } : { type: 'dropped' };
  }
}

/**
 * @internal Splits sharded names into one group per slot: SSUBSCRIBE and SUNSUBSCRIBE must not
 * span slots (CROSSSLOT). Other kinds go out in one group.
 */
export function groupForCommand(kind: SubscriptionKind, keys: string[], slotOf: (key: string) => number): string[][] {
  if (kind !== 'shard') return [keys];
  const bySlot = new Map<number, string[]>();
  for (const key of keys) {
    const slot = slotOf(key);
    const group = bySlot.get(slot);
    if (group) group.push(key);
    else bySlot.set(slot, [key]);
  }
  return [...bySlot.values()];
}
