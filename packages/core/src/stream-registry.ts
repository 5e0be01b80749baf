import { defer, Observable, share } from 'rxjs';
import type { ClusterTopology } from './cluster-topology';
import { decode, type NameRef } from './names';
import type { SubscriptionSink } from './node-subscriber';
import {
  MESSAGE_TYPES,
  type Encoding,
  type PubSubMessage,
  type SubscriptionKind,
} from './pubsub-message';
import type { Attachment, SubscriptionRouter } from './subscription-router';

/** @internal One event of a shared subscription: the server confirmed it, or a message. */
type RawEvent = { readonly active: true; readonly count: number } | RawMessage;

interface RawMessage {
  readonly active: false;
  readonly channel: Buffer;
  readonly data: Buffer;
  /** Decoded once per message, then shared by every observer that wants that encoding. */
  utf8?: PubSubMessage<string>;
  buffer?: PubSubMessage<Buffer>;
}

interface SharedEntry {
  readonly stream$: Observable<RawEvent>;
  active: boolean;
  count: number;
}

/** @internal What one observer wants from a shared subscription. */
export interface StreamOptions {
  readonly encoding: Encoding;
  /** When false, the stream starts with a `subscribe` message once the server confirmed it. */
  readonly ignoreSubscribeMessages: boolean;
}

/**
 * @internal One shared server subscription per (kind, name), however many observers: the first
 * observer routes the name to its node, the last one leaving detaches it (`share` refcounting).
 * Each observer gets messages in its own encoding, decoded once per message and encoding.
 */
export class StreamRegistry {
  private readonly shared = new Map<string, SharedEntry>();
  private readonly live = new Set<() => void>();

  constructor(
    private readonly topology: ClusterTopology,
    private readonly router: SubscriptionRouter,
  ) {}

  stream(kind: SubscriptionKind, ref: NameRef, options: StreamOptions): Observable<PubSubMessage> {
    const types = MESSAGE_TYPES[kind];
    const name = decode(ref.bytes, options.encoding);
    const pattern = kind === 'pattern';
    // For channels the server's name is the one subscribed: reuse it instead of decoding again.
    const toMessage = (raw: RawMessage): PubSubMessage =>
      options.encoding === 'buffer'
        ? (raw.buffer ??= {
            type: types.message,
            pattern: pattern ? ref.bytes : null,
            channel: pattern ? raw.channel : ref.bytes,
            data: raw.data,
          })
        : (raw.utf8 ??= {
            type: types.message,
            pattern: pattern ? (name as string) : null,
            channel: pattern ? raw.channel.toString() : (name as string),
            data: raw.data.toString(),
          });
    const confirmation = (count: number): PubSubMessage => ({
      type: types.subscribe,
      pattern: kind === 'pattern' ? name : null,
      channel: name,
      data: count,
    });
    return defer(() => {
      const entry = this.entryFor(kind, ref);
      return new Observable<PubSubMessage>((subscriber) => {
        if (entry.active && !options.ignoreSubscribeMessages) subscriber.next(confirmation(entry.count));
        return entry.stream$.subscribe({
          next: (event) => {
            if (!event.active) subscriber.next(toMessage(event));
            else if (!options.ignoreSubscribeMessages) subscriber.next(confirmation(event.count));
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        });
      });
    });
  }

  /** Completes every live stream (used by `close()`): observers see `complete`, not silence. */
  completeAll(): void {
    for (const complete of [...this.live]) complete();
  }

  private entryFor(kind: SubscriptionKind, ref: NameRef): SharedEntry {
    const id = kind[0] + ref.key;
    const existing = this.shared.get(id);
    if (existing) return existing;
    const entry: SharedEntry = {
      active: false,
      count: 0,
      stream$: new Observable<RawEvent>((subscriber) => {
        let attachment: Attachment | undefined;
        const sink: SubscriptionSink = {
          message: (channel, data) => subscriber.next({ active: false, channel, data }),
          active: (count) => {
            entry.active = true;
            entry.count = count;
            subscriber.next({ active: true, count });
          },
          error: (error) => subscriber.error(error),
        };
        const complete = (): void => subscriber.complete();
        this.live.add(complete);
        const attach = (): void => {
          if (subscriber.closed) return;
          try {
            attachment = this.router.attach(kind, ref, sink);
          } catch (error) {
            subscriber.error(error);
          }
        };
        // The fast path stays synchronous so a loop of subscribes lands in one batch.
        if (this.topology.isReady) attach();
        else this.topology.ready().then(attach, (error: unknown) => subscriber.error(error));
        return () => {
          this.live.delete(complete);
          entry.active = false;
          if (this.shared.get(id) === entry) this.shared.delete(id);
          attachment?.detach();
        };
      }).pipe(share()),
    };
    this.shared.set(id, entry);
    return entry;
  }
}
