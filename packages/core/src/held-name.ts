import type { NameRef } from './names';
import type { PubSubMessage, SubscriptionKind } from './pubsub-message';
import type { Membership, StreamTarget } from './stream-registry';
import type { MessageHandler } from './subscribe-args';

/** @internal What a held name reports to its ClusterPubSub. */
export interface HeldNameOwner {
  received(held: HeldName, message: PubSubMessage): void;
  confirmed(held: HeldName, message: PubSubMessage, first: boolean): void;
  failed(held: HeldName, error: unknown): void;
  ended(held: HeldName): void;
}

/**
 * @internal One name a ClusterPubSub is subscribed to: the observer it registers on the shared
 * subscription (no Observable in between), its handler, and a promise for its first
 * confirmation that is let go once settled.
 */
export class HeldName implements StreamTarget {
  handler: MessageHandler | null;
  confirmed = false;
  membership: Membership | undefined;
  private pending: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;

  constructor(
    private readonly owner: HeldNameOwner,
    readonly kind: SubscriptionKind,
    readonly ref: NameRef,
    /** The name in the pubsub's encoding, as `channels` / `patterns` show it. */
    readonly name: string | Buffer,
    handler: MessageHandler | null,
  ) {
    this.handler = handler;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    promise.catch(() => undefined); // the caller of subscribe() sees it; nobody else must
    this.pending = { promise, resolve, reject };
  }

  /** Resolves on the first confirmation, rejects if the name fails or ends before it. */
  get whenConfirmed(): Promise<void> {
    return this.pending?.promise ?? Promise.resolve();
  }

  next(message: PubSubMessage): void {
    if (typeof message.data !== 'number') return this.owner.received(this, message);
    const first = !this.confirmed;
    this.confirmed = true;
    this.pending?.resolve();
    this.pending = undefined;
    this.owner.confirmed(this, message, first);
  }

  error(error: unknown): void {
    this.owner.failed(this, error);
    this.settle(error);
  }

  complete(): void {
    this.owner.ended(this);
  }

  /** Rejects a pending confirmation (and lets it go); nothing once confirmed. */
  settle(error: unknown): void {
    this.pending?.reject(error);
    this.pending = undefined;
  }

  /** Leaves the shared subscription; a subscribe() still waiting for it returns. */
  release(): void {
    this.membership?.unsubscribe();
    this.pending?.resolve();
    this.pending = undefined;
  }
}
