import type { SubscriptionKind } from './pubsub-message';

/** @internal */
export type Op = 'subscribe' | 'unsubscribe';

/** `$<length>\r\n` for lengths below LENGTH_CACHE, made once each. */
const LENGTH_CACHE = 1024;
const lengthHeaders: string[] = [];

/** The bulk header of a key of `length` bytes. */
function lengthHeader(length: number): string {
  if (length >= LENGTH_CACHE) return `$${length}\r\n`;
  return (lengthHeaders[length] ??= `$${length}\r\n`);
}

/**
 * @internal One command as RESP, to be written as latin1: each key is a name's bytes, one char
 * per byte (see NameRef), so its length is its byte length and latin1 writes the bytes back.
 * The pieces are joined once: built with `+=`, a command of 10,000 names made a rope of 20,000
 * strings (about 140 B of garbage a name) for the socket to flatten.
 */
export function encodeCommand(command: string, keys: readonly string[]): string {
  const parts = new Array<string>(keys.length * 3 + 1);
  parts[0] = `*${keys.length + 1}\r\n${lengthHeader(command.length)}${command}\r\n`;
  let at = 1;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    parts[at++] = lengthHeader(key.length);
    parts[at++] = key;
    parts[at++] = '\r\n';
  }
  return parts.join('');
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
