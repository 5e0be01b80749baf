import { ConfirmationBatch, HeldName, type HeldNameOwner } from './held-name';
import { SubscribeFailedError } from './errors';
import { NameRef } from './names';

const owner: HeldNameOwner = { received: () => {}, confirmed: () => {}, failed: () => {}, ended: () => {} };
const held = (name: string): HeldName => new HeldName(owner, 'channel', NameRef.fromString(name), name, null);
const confirmation = { type: 'subscribe', pattern: null, channel: 'a', data: 1 } as const;

describe('ConfirmationBatch and HeldName', () => {
  it('should resolve a batch of no names at once', async () => {
    await expect(new ConfirmationBatch(0).done).resolves.toBeUndefined();
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
    await expect(batch.done).resolves.toBeUndefined();
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
    const failure = await batch.done.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SubscribeFailedError);
    expect((failure as SubscribeFailedError).errors).toEqual([early, late]);
  });

  it('should settle each waiting call once, and never again on a later confirmation', async () => {
    const a = held('a');
    const calls = [new ConfirmationBatch(1), new ConfirmationBatch(1), new ConfirmationBatch(1)];
    for (const call of calls) a.waitFor(call); // one call, then two, then three waiting
    a.next(confirmation);
    a.next(confirmation); // a resubscription after a reconnect
    await expect(Promise.all(calls.map((call) => call.done))).resolves.toEqual([undefined, undefined, undefined]);
  });
});
