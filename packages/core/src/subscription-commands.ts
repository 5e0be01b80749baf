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
