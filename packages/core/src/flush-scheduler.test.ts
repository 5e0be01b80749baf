import { EARLY_FLUSH, FlushScheduler } from './flush-scheduler';

describe('FlushScheduler', () => {
  it('should flush everything changed in one tick once, at the end of the tick', async () => {
    let flushes = 0;
    const scheduler = new FlushScheduler(() => flushes++, () => true, () => true);
    for (let i = 0; i < 10; i++) scheduler.changed();
    scheduler.schedule();
    expect(flushes).toBe(0);
    expect(scheduler.isScheduled).toBe(true);
    await Promise.resolve();
    expect(flushes).toBe(1);
    expect(scheduler.isScheduled).toBe(false);
  });

  it('should flush every EARLY_FLUSH changes at once while commands can go out now', async () => {
    let flushes = 0;
    const scheduler = new FlushScheduler(() => flushes++, () => true, () => true);
    for (let i = 0; i < EARLY_FLUSH * 2 + 5; i++) scheduler.changed();
    expect(flushes).toBe(2); // the loop is still running
    await Promise.resolve();
    expect(flushes).toBe(3); // the last 5, at the end of the tick
  });

  it('should encode long batches ahead while the connection opens, and the rest when it is open', async () => {
    let flushes = 0;
    let open = false;
    const scheduler = new FlushScheduler(() => flushes++, () => open, () => true);
    for (let i = 0; i < EARLY_FLUSH * 3 + 5; i++) scheduler.changed();
    expect(flushes).toBe(3); // kept for the connection, to go out with its handshake
    expect(scheduler.isScheduled).toBe(false); // the last 5 wait for the connection
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushes).toBe(3);
    open = true;
    scheduler.opened();
    expect(flushes).toBe(4);
    for (let i = 0; i < EARLY_FLUSH - 1; i++) scheduler.changed();
    expect(flushes).toBe(4); // the count restarted with the flush
  });

  it('should flush nothing early without a connection, however many changes', async () => {
    let flushes = 0;
    const scheduler = new FlushScheduler(() => flushes++, () => false, () => false);
    for (let i = 0; i < EARLY_FLUSH * 3; i++) scheduler.changed();
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushes).toBe(0);
    scheduler.opened();
    expect(flushes).toBe(1);
  });
});
