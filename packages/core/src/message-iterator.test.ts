import { QueueOverflowError } from './errors';
import { MessageInbox } from './message-inbox';
import { MessageIterator } from './message-iterator';
import type { PubSubMessage } from './pubsub-message';

const message = (data: string): PubSubMessage => ({ type: 'message', pattern: null, channel: 'c', data });

describe('MessageIterator', () => {
  it('should hand over queued messages in order, then wait for the next arrival', async () => {
    const inbox = new MessageInbox(100, 'drop-oldest');
    const it = new MessageIterator(inbox, () => true);
    inbox.push(message('1'));
    inbox.push(message('2'));
    expect((await it.next()).value).toMatchObject({ data: '1' });
    expect((await it.next()).value).toMatchObject({ data: '2' });
    const third = it.next();
    inbox.push(message('3'));
    expect(await third).toEqual({ value: message('3'), done: false });
  });

  it('should end a waiting read, and every later one, once goOn() turns false', async () => {
    const inbox = new MessageInbox(100, 'drop-oldest');
    let live = true;
    const it = new MessageIterator(inbox, () => live);
    const waiting = it.next();
    live = false;
    inbox.clear(); // what close() and reset() do: wake the readers
    expect(await waiting).toEqual({ value: undefined, done: true });
    live = true;
    inbox.push(message('late'));
    expect((await it.next()).done).toBe(true);
  });

  it('should end on return(), as a break out of for await calls it', async () => {
    const inbox = new MessageInbox(100, 'drop-oldest');
    const it = new MessageIterator(inbox, () => true);
    ['a', 'b', 'c'].forEach((d) => inbox.push(message(d)));
    const seen: unknown[] = [];
    for await (const m of it) {
      seen.push(m.data);
      if (m.data === 'b') break;
    }
    expect(seen).toEqual(['a', 'b']);
    expect((await it.next()).done).toBe(true);
  });

  it('should reject with a queued failure once and end there', async () => {
    const inbox = new MessageInbox(2, 'error');
    const it = new MessageIterator(inbox, () => true);
    ['1', '2', '3'].forEach((d) => inbox.push(message(d)));
    await expect(it.next()).rejects.toThrow(QueueOverflowError);
    inbox.push(message('4'));
    expect((await it.next()).done).toBe(true);
  });

  it('should reject a waiting read with a failure that arrives while it waits', async () => {
    const inbox = new MessageInbox(100, 'drop-oldest');
    const it = new MessageIterator(inbox, () => true);
    const waiting = it.next();
    inbox.fail(new Error('observer failed'));
    await expect(waiting).rejects.toThrow('observer failed');
    expect((await it.next()).done).toBe(true);
  });
});
