import type { Subject } from 'rxjs';
import { MessageInbox } from './message-inbox';
import type { PubSubMessage } from './pubsub-message';

const message = (data: string | number): PubSubMessage => ({ type: typeof data === 'number' ? 'subscribe' : 'message', pattern: null, channel: 'c', data });
/** Whether a reader waits on the inbox's arrivals now. */
const waiting = (inbox: MessageInbox): boolean => (inbox as unknown as { arrivals: Subject<void> }).arrivals.observed;

describe('MessageInbox', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should hand a waiting reader the next arrival', async () => {
    const inbox = new MessageInbox(10, 'drop-oldest');
    const read = inbox.take(1000, false, () => true);
    await Promise.resolve();
    expect(waiting(inbox)).toBe(true);
    inbox.push(message('a'));
    await expect(read).resolves.toMatchObject({ data: 'a' });
    expect(waiting(inbox)).toBe(false);
    expect(jest.getTimerCount()).toBe(0); // its timer is cleared
  });

  it('should answer null once the time is up, and forget the reader', async () => {
    const inbox = new MessageInbox(10, 'drop-oldest');
    const read = inbox.take(50, false, () => true);
    await jest.advanceTimersByTimeAsync(49);
    expect(waiting(inbox)).toBe(true);
    await jest.advanceTimersByTimeAsync(1);
    await expect(read).resolves.toBeNull();
    expect(waiting(inbox)).toBe(false);
  });

  it('should skip confirmations when asked, and go on waiting', async () => {
    const inbox = new MessageInbox(10, 'drop-oldest');
    const read = inbox.take(null, true, () => true);
    inbox.push(message(1));
    await Promise.resolve();
    inbox.push(message('payload'));
    await expect(read).resolves.toMatchObject({ data: 'payload' });
  });

  it('should wake every reader on close, each answering null when told to stop', async () => {
    const inbox = new MessageInbox(10, 'drop-oldest');
    let live = true;
    const reads = [inbox.take(null, false, () => live), inbox.take(5000, false, () => live)];
    await Promise.resolve();
    live = false;
    inbox.close();
    await expect(Promise.all(reads)).resolves.toEqual([null, null]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('should reject a waiting reader with a failure', async () => {
    const inbox = new MessageInbox(10, 'drop-oldest');
    const read = inbox.take(null, false, () => true);
    await Promise.resolve();
    inbox.fail(new Error('observer failed'));
    await expect(read).rejects.toThrow('observer failed');
  });
});
