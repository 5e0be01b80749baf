import { SettleSignal } from './settle-signal';

describe('SettleSignal', () => {
  it('should resolve at once when settled', async () => {
    const signal = new SettleSignal(() => true);
    await expect(signal.wait()).resolves.toBeUndefined();
  });

  it('should give every waiter one promise, released by the check that finds it settled', async () => {
    let work = 2;
    const signal = new SettleSignal(() => work === 0);
    const first = signal.wait();
    const second = signal.wait();
    expect(second).toBe(first);
    let released = false;
    void first.then(() => (released = true));
    work--;
    signal.check(); // not settled yet: nothing happens
    await Promise.resolve();
    expect(released).toBe(false);
    work--;
    signal.check();
    await first;
    expect(released).toBe(true);
  });

  it('should hold a waiter who came later until the work asked for since is done', async () => {
    let work = 1;
    const signal = new SettleSignal(() => work === 0);
    const early = signal.wait();
    work++; // asked for after the first wait, before any settled moment
    const late = signal.wait();
    work--;
    signal.check();
    let released = false;
    void late.then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    work--;
    signal.check();
    await Promise.all([early, late]);
  });

  it('should start a new promise after a release', async () => {
    let work = 1;
    const signal = new SettleSignal(() => work === 0);
    const before = signal.wait();
    work = 0;
    signal.check();
    await before;
    work = 1;
    const after = signal.wait();
    expect(after).not.toBe(before);
    work = 0;
    signal.check();
    await after;
  });
});
