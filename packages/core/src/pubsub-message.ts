/** How names and payloads are handed to you: `'utf8'` strings (default) or byte-exact `Buffer`s. */
export type Encoding = 'utf8' | 'buffer';

/** A channel name, pattern or payload as you may pass it: a string (sent as UTF-8) or raw bytes. */
export type Name = string | Buffer;

/** The three kinds of subscription Redis has: classic channels, patterns, and sharded channels. */
export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

/** The `type` of a {@link PubSubMessage}, as the seed (and the Redis protocol) names them. */
export type PubSubMessageType =
  | 'message'
  | 'pmessage'
  | 'smessage'
  | 'subscribe'
  | 'unsubscribe'
  | 'psubscribe'
  | 'punsubscribe'
  | 'ssubscribe'
  | 'sunsubscribe';

/**
 * One message of a subscription, with the seed's keys. For `message` / `pmessage` / `smessage`,
 * `data` is the payload; for the subscription kinds it is the number of subscriptions held.
 * `pattern` is set for `pmessage`, `psubscribe` and `punsubscribe`, `null` otherwise.
 *
 * @example
 * ```ts
 * rc.fromPattern('news.*').subscribe((m: PubSubMessage) => console.log(m.pattern, m.channel, m.data));
 * ```
 */
export interface PubSubMessage<T extends string | Buffer = string | Buffer> {
  readonly type: PubSubMessageType;
  readonly pattern: T | null;
  readonly channel: T;
  readonly data: T | number;
}

/** @internal Message type per kind: the payload message and the two confirmations. */
export const MESSAGE_TYPES = {
  channel: { message: 'message', subscribe: 'subscribe', unsubscribe: 'unsubscribe' },
  pattern: { message: 'pmessage', subscribe: 'psubscribe', unsubscribe: 'punsubscribe' },
  shard: { message: 'smessage', subscribe: 'ssubscribe', unsubscribe: 'sunsubscribe' },
} as const satisfies Record<SubscriptionKind, Record<string, PubSubMessageType>>;
