import type { NameRef } from './names';
import type { PubSubMessage, SubscriptionKind } from './pubsub-message';
import type { Membership, StreamTarget } from './stream-options';
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

/** Why a name failed before its first confirmation, for calls that wait on it later. */
class Failure {
  constructor(readonly error: unknown) {}
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
  /** The calls waiting for the first confirmation, or why the name failed before it. */
  private waiting: ConfirmationBatch[] | Failure | undefined;

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
    if (this.confirmed) return batch.settle(undefined);
    const waiting = this.waiting;
    if (waiting instanceof Failure) return batch.settle(waiting.error);
    if (waiting) waiting.push(batch);
    else this.waiting = [batch];
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
    const waiting = this.waiting;
    if (waiting instanceof Failure) return;
    this.waiting = error !== undefined && !this.confirmed ? new Failure(error) : undefined;
    for (const batch of waiting ?? []) batch.settle(this.confirmed ? undefined : error);
  }

  /** Leaves the shared subscription; a subscribe() still waiting for it returns. */
  release(): void {
    this.membership?.unsubscribe();
    this.settle(undefined);
  }
}
