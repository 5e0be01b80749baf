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

/** `*<count>\r\n$<length>\r\n<command>\r\n` for counts below HEADER_CACHE, made once each. */
const HEADER_CACHE = 64;
const commandHeaders = new Map<string, string[]>();

/** The array header and command name of a command of `count` parts, the command included. */
function commandHeader(command: string, count: number): string {
  if (count >= HEADER_CACHE) return `*${count}\r\n${lengthHeader(command.length)}${command}\r\n`;
  let headers = commandHeaders.get(command);
  if (!headers) commandHeaders.set(command, (headers = []));
  return (headers[count] ??= `*${count}\r\n${lengthHeader(command.length)}${command}\r\n`);
}

/**
 * @internal Appends one command as RESP to `parts`, to be joined and written as latin1: each key
 * is a name's bytes, one char per byte (see NameRef), so its length is its byte length and
 * latin1 writes the bytes back. The commands of one flush go into one array and are joined
 * once: built with `+=`, a command of 10,000 names made a rope of 20,000 strings (about 140 B of
 * garbage a name) for the socket to flatten, and a string per command cost a sharded flush (one
 * command per slot) a string and a rope node per name. `start` and `end` take a part of `keys`.
 */
export function encodeCommandInto(parts: string[], command: string, keys: readonly string[], start = 0, end = keys.length): void {
  parts.push(commandHeader(command, end - start + 1));
  for (let i = start; i < end; i++) {
    const key = keys[i] as string;
    parts.push(lengthHeader(key.length), key, '\r\n');
  }
}

/**
 * @internal Appends `command` for `keys`, or with `ends` (see groupEnds) one command for each
 * part of them, one after the other.
 */
export function encodeCommands(parts: string[], command: string, keys: readonly string[], ends: readonly number[] | null): void {
  if (ends === null) return encodeCommandInto(parts, command, keys);
  let start = 0;
  for (const end of ends) {
    encodeCommandInto(parts, command, keys, start, end);
    start = end;
  }
}

/** @internal One command as RESP (see encodeCommandInto). */
export function encodeCommand(command: string, keys: readonly string[]): string {
  const parts: string[] = [];
  encodeCommandInto(parts, command, keys);
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

/**
 * @internal Where each group (a command's names) ends among all of them laid end to end; null
 * for a single group, which is one command of all the names.
 */
export function groupEnds(groups: readonly (readonly unknown[])[]): number[] | null {
  if (groups.length === 1) return null;
  let end = 0;
  return groups.map((group) => (end += group.length));
}
