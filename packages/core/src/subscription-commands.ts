import type { SubscriptionKind } from './pubsub-message';

/** @internal */
export type Op = 'subscribe' | 'unsubscribe';

/**
 * @internal One command as RESP, to be written as latin1: each key is a name's bytes, one char
 * per byte (see NameRef), so its length is its byte length and latin1 writes the bytes back.
 */
export function encodeCommand(command: string, keys: readonly string[]): string {
  let text = `*${keys.length + 1}\r\n$${command.length}\r\n${command}\r\n`;
  for (const key of keys) text += `$${key.length}\r\n${key}\r\n`;
  return text;
}

/**
 * @internal Splits sharded names into one group per slot: SSUBSCRIBE and SUNSUBSCRIBE must not
 * span slots (CROSSSLOT). Other kinds go out in one group; nothing makes no group.
 */
export function groupForCommand<I>(kind: SubscriptionKind, items: I[], slotOf: (item: I) => number): I[][] {
  if (items.length === 0) return [];
  if (kind !== 'shard') return [items];
  const bySlot = new Map<number, I[]>();
  for (const item of items) {
    const slot = slotOf(item);
    const group = bySlot.get(slot);
    if (group) group.push(item);
    else bySlot.set(slot, [item]);
  }
  return [...bySlot.values()];
}
