import type { SubscriptionKind } from './pubsub-message';

/**
 * One event of `rc.status$`: what happened to one node's subscriber connection (one per node,
 * carrying its channels, patterns and sharded channels alike).
 * - `connecting`: the connection is being opened (first use, or a reconnect attempt);
 * - `ready`: it is open;
 * - `lost`: it dropped, or the node refused its handshake (`error`: why, e.g. WRONGPASS); its
 *   subscriptions are being restored;
 * - `resubscribed`: after a loss or a move, `names` were subscribed again on `node`;
 * - `moved`: `names` left `node` because their slot is now served elsewhere;
 * - `closed`: it was closed because nothing uses it any more (or `close()`);
 * - `gave-up`: it could not be restored within the limit; its observers got an error (whose
 *   `cause` is the node's refusal, if it refused the handshake).
 *
 * @example
 * ```ts
 * rc.status$.subscribe((e) => console.log(e.node, e.type, e.names?.length ?? ''));
 * ```
 */
export interface NodeStatusEvent {
  readonly node: string;
  readonly type: 'connecting' | 'ready' | 'lost' | 'resubscribed' | 'moved' | 'closed' | 'gave-up';
  readonly names?: readonly { readonly kind: SubscriptionKind; readonly name: string }[];
  readonly error?: Error;
  readonly at: number;
}

/**
 * @internal The `names` of a status event for subscribed names (their kind and text).
 *
 * @example
 * ```ts
 * statusNames([{ kind: 'channel', text: 'news' }]); // [{ kind: 'channel', name: 'news' }]
 * ```
 */
export function statusNames(names: Iterable<{ readonly kind: SubscriptionKind; readonly text: string }>): NonNullable<NodeStatusEvent['names']> {
  return Array.from(names, ({ kind, text }) => ({ kind, name: text }));
}
