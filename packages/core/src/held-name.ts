import { SubscribeFailedError } from './errors';
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
 * one promise rather than one each. `done` resolves once every name is settled, or rejects with a
 * {@link SubscribeFailedError} listing the names that failed.
 */
export class ConfirmationBatch {
  readonly done: Promise<void>;
  private errors: Error[] | null = null;
  private resolve!: () => void;
  private reject!: (error: Error) => void;

  constructor(private remaining: number) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    if (remaining === 0) this.finish();
  }

  /** One name is settled: confirmed (no error), released, or failed. */
  settle(error?: unknown): void {
    if (error !== undefined) (this.errors ??= []).push(error as Error);
    if (--this.remaining === 0) this.finish();
  }

  private finish(): void {
    if (this.errors === null) this.resolve();
    else this.reject(new SubscribeFailedError(this.errors));
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
  /** The call (or calls) waiting for the first confirmation, or why the name failed before it. */
  private waiting: ConfirmationBatch | ConfirmationBatch[] | Failure | undefined;

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
    if (waiting === undefined) this.waiting = batch;
    else if (Array.isArray(waiting)) waiting.push(batch);
    else this.waiting = [waiting, batch];
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
    const outcome = this.confirmed ? undefined : error;
    if (waiting instanceof ConfirmationBatch) waiting.settle(outcome);
    else if (waiting) for (const batch of waiting) batch.settle(outcome);
  }

  /** Leaves the shared subscription; a subscribe() still waiting for it returns. */
  release(): void {
    this.membership?.unsubscribe();
    this.settle(undefined);
  }
}
