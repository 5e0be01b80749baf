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
 * @internal One `subscribe(...)` call waiting for its names: a countdown, so 10,000 names cost
 * one promise rather than one each. Resolves with the errors of the names that failed.
 */
export class ConfirmationBatch {
  readonly done: Promise<Error[]>;
  private readonly errors: Error[] = [];
  private finish!: (errors: Error[]) => void;

  constructor(private remaining: number) {
    this.done = new Promise((resolve) => (this.finish = resolve));
    if (remaining === 0) this.finish(this.errors);
  }

  /** One name is settled: confirmed (no error), released, or failed. */
  settle(error?: unknown): void {
    if (error !== undefined) this.errors.push(error as Error);
    if (--this.remaining === 0) this.finish(this.errors);
  }
}

/**
 * @internal One name a ClusterPubSub is subscribed to: the observer it registers on the shared
 * subscription (no Observable in between), its handler, and the calls waiting for its first
 * confirmation (let go once it came).
 */
export class HeldName implements StreamTarget {
  handler: MessageHandler | null;
  confirmed = false;
  membership: Membership | undefined;
  private waiting: ConfirmationBatch[] | undefined;
  /** Set once the name failed or ended before its confirmation. */
  private failure: unknown;

  constructor(
    private readonly owner: HeldNameOwner,
    readonly kind: SubscriptionKind,
    readonly ref: NameRef,
    /** The name in the pubsub's encoding, as `channels` / `patterns` show it. */
    readonly name: string | Buffer,
    handler: MessageHandler | null,
  ) {
    this.handler = handler;
  }

  /** Settles `batch` on the first confirmation (at once if it came), or on failure. */
  waitFor(batch: ConfirmationBatch): void {
    if (this.confirmed || this.failure !== undefined) return batch.settle(this.confirmed ? undefined : this.failure);
    (this.waiting ??= []).push(batch);
  }

  next(message: PubSubMessage): void {
    if (typeof message.data !== 'number') return this.owner.received(this, message);
    const first = !this.confirmed;
    this.confirmed = true;
    this.settle(undefined);
    this.owner.confirmed(this, message, first);
  }

  error(error: unknown): void {
    this.owner.failed(this, error);
    this.settle(error);
  }

  complete(): void {
    this.owner.ended(this);
  }

  /** Settles every waiting call: with `error` if given (the name failed before confirmation). */
  settle(error: unknown): void {
    if (error !== undefined && !this.confirmed) this.failure = error;
    const waiting = this.waiting;
    this.waiting = undefined;
    for (const batch of waiting ?? []) batch.settle(this.confirmed ? undefined : error);
  }

  /** Leaves the shared subscription; a subscribe() still waiting for it returns. */
  release(): void {
    this.membership?.unsubscribe();
    this.settle(undefined);
  }
}
