import { InvalidArgumentError } from './errors';
import { toNameRef, type NameRef } from './names';
import type { Name, PubSubMessage, SubscriptionKind } from './pubsub-message';

/** A handler called with each payload message of one name, instead of queueing it. */
export type MessageHandler = (message: PubSubMessage) => void;

/** Names to subscribe: plain names, and `{ name: handler }` maps like the seed's keyword arguments. */
export type SubscribeArg = Name | Readonly<Record<string, MessageHandler | null>>;

/**
 * @internal The names of a subscribe call with their handlers, alternating: name, handler, name,
 * handler… One array for any number of names (a pair per name cost an array each).
 */
export type ParsedSubscribeArgs = (NameRef | MessageHandler | null)[];

const WHAT: Record<SubscriptionKind, string> = { channel: 'a channel name', pattern: 'a pattern name', shard: 'a shard name' };

/** @internal Validates every argument of a subscribe call before anything is sent. */
export function parseSubscribeArgs(kind: SubscriptionKind, args: SubscribeArg[]): ParsedSubscribeArgs {
  if (args.length === 0) throw new InvalidArgumentError(`give at least one ${kind} name to subscribe`);
  const out: ParsedSubscribeArgs = [];
  const what = WHAT[kind];
  for (const arg of args) {
    if (typeof arg === 'string' || Buffer.isBuffer(arg)) {
      out.push(toNameRef(arg, what), null);
    } else if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
      for (const [name, handler] of Object.entries(arg)) {
        if (handler !== null && typeof handler !== 'function') {
          throw new InvalidArgumentError(`the handler of "${name}" must be a function or null`);
        }
        out.push(toNameRef(name, what), handler);
      }
    } else {
      toNameRef(arg, what); // throws the typed error
    }
  }
  return out;
}

/** @internal The `what` of a kind's names in error messages ("a channel name"). */
export function nameWhat(kind: SubscriptionKind): string {
  return WHAT[kind];
}
