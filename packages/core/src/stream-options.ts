import type { Encoding, PubSubMessage } from './pubsub-message';

/** @internal Who receives one observer's events: an rxjs Subscriber, or ClusterPubSub's own. */
export interface StreamTarget {
  next(message: PubSubMessage): void;
  error(error: unknown): void;
  complete(): void;
}

/** @internal One observer's membership of a shared name: unsubscribe to leave. */
export interface Membership {
  unsubscribe(): void;
}

/** @internal What one observer wants from a shared subscription. */
export interface StreamOptions {
  readonly encoding: Encoding;
  /** When false, the stream starts with a `subscribe` message once the server confirmed it. */
  readonly ignoreSubscribeMessages: boolean;
}

const STREAM_OPTIONS: Record<Encoding, Record<'true' | 'false', StreamOptions>> = {
  utf8: {
    true: { encoding: 'utf8', ignoreSubscribeMessages: true },
    false: { encoding: 'utf8', ignoreSubscribeMessages: false },
  },
  buffer: {
    true: { encoding: 'buffer', ignoreSubscribeMessages: true },
    false: { encoding: 'buffer', ignoreSubscribeMessages: false },
  },
};

/**
 * @internal The shared options object for one combination: observers point at one of four
 * instead of each keeping its own.
 */
export function streamOptions(encoding: Encoding, ignoreSubscribeMessages: boolean): StreamOptions {
  return STREAM_OPTIONS[encoding][ignoreSubscribeMessages ? 'true' : 'false'];
}
