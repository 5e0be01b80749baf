import { ConfirmationBatch, HeldName, type HeldNameOwner } from './held-name';
import { NameRef } from './names';

const owner: HeldNameOwner = { received: () => {}, confirmed: () => {}, failed: () => {}, ended: () => {} };
const held = (name: string): HeldName => new HeldName(owner, 'channel', NameRef.fromString(name), name, null);
const confirmation = { type: 'subscribe', pattern: null, channel: 'a', data: 1 } as const;

describe('ConfirmationBatch and HeldName', () => {
  it('should resolve a batch of no names at once', async () => {
    await expect(new ConfirmationBatch(0).done).resolves.toEqual([]);
  });

  it('should resolve once every name is confirmed, whether before or after waiting', async () => {
    const [a, b] = [held('a'), held('b')];
    a.next(confirmation); // confirmed before anyone waits (an already active shared name)
    const batch = new ConfirmationBatch(2);
    a.waitFor(batch);
    b.waitFor(batch);
    let done = false;
    void batch.done.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    b.next(confirmation);
    await expect(batch.done).resolves.toEqual([]);
  });

  it('should report the names that failed, even when they failed before the call waited', async () => {
    const [a, b, c] = [held('a'), held('b'), held('c')];
    const early = new Error('refused early');
    a.error(early);
    const batch = new ConfirmationBatch(3);
    [a, b, c].forEach((h) => h.waitFor(batch));
    const late = new Error('refused late');
    b.error(late);
    c.release(); // unsubscribed before its confirmation: the call returns without an error for it
    await expect(batch.done).resolves.toEqual([early, late]);
  });

  it('should settle each waiting call once, and never again on a later confirmation', async () => {
    const a = held('a');
    const first = new ConfirmationBatch(1);
    const second = new ConfirmationBatch(1);
    a.waitFor(first);
    a.waitFor(second);
    a.next(confirmation);
    a.next(confirmation); // a resubscription after a reconnect
    await expect(Promise.all([first.done, second.done])).resolves.toEqual([[], []]);
  });
});
