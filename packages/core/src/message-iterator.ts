import type { MessageInbox } from './message-inbox';
import type { PubSubMessage } from './pubsub-message';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * @internal What `ClusterPubSub.listen()` returns: an async iterator over its queue, written out
 * rather than as an `async function*`. A queued message is handed over with one resolved promise;
 * an async generator's `yield` costs three more microtask turns and a promise each, which was
 * about 120 ns a message (a tenth of the reading cost when a backlog drains). Only an empty queue
 * waits. Ends, as the generator did, when `goOn()` turns false (close or reset), on `return()`
 * (a `break` out of `for await`), and after a read threw.
 */
export class MessageIterator implements AsyncIterableIterator<PubSubMessage> {
  private ended = false;

  constructor(
    private readonly inbox: MessageInbox,
    private readonly goOn: () => boolean,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<PubSubMessage, undefined>> {
    if (this.ended || !this.goOn()) return this.end();
    let message: PubSubMessage | undefined;
    try {
      message = this.inbox.poll(false);
    } catch (error) {
      this.ended = true;
      return Promise.reject(error);
    }
    return message ? Promise.resolve({ value: message, done: false }) : this.waitForNext();
  }

  return(): Promise<IteratorResult<PubSubMessage, undefined>> {
    return this.end();
  }

  private async waitForNext(): Promise<IteratorResult<PubSubMessage, undefined>> {
    let message: PubSubMessage | null;
    try {
      message = await this.inbox.take(null, false, this.goOn);
    } catch (error) {
      this.ended = true;
      throw error;
    }
    // `take` without a time limit answers null only once goOn() is false.
    return message ? { value: message, done: false } : this.end();
  }

  private end(): Promise<IteratorReturnResult<undefined>> {
    this.ended = true;
    return Promise.resolve(DONE);
  }
}
