import { PendingJoins } from './pending-joins';

describe('PendingJoins', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should join each pending item once after the delay and then report empty', async () => {
    const pending = new PendingJoins<string>();
    const joined: string[] = [];
    pending.schedule(['a', 'b'], 250, (item) => joined.push(item));
    const empty = pending.whenEmpty();
    jest.advanceTimersByTime(249);
    expect(joined).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(joined).toEqual(['a', 'b']);
    await expect(empty).resolves.toBeUndefined();
  });

  it('should never join a cancelled item, and be empty once the rest joined', async () => {
    const pending = new PendingJoins<string>();
    const joined: string[] = [];
    pending.schedule(['a', 'b'], 100, (item) => joined.push(item));
    pending.cancel('a');
    expect(pending.has('a')).toBe(false);
    jest.advanceTimersByTime(100);
    expect(joined).toEqual(['b']);
    await expect(pending.whenEmpty()).resolves.toBeUndefined();
  });

  it('should join a rescheduled item once, at its new time', () => {
    const pending = new PendingJoins<string>();
    const joined: string[] = [];
    pending.schedule(['a'], 100, (item) => joined.push(`first:${item}`));
    pending.schedule(['a'], 300, (item) => joined.push(`second:${item}`));
    jest.advanceTimersByTime(1000);
    expect(joined).toEqual(['second:a']);
  });

  it('should drop everything on clear and release waiters', async () => {
    const pending = new PendingJoins<string>();
    const joined: string[] = [];
    pending.schedule(['a'], 100, (item) => joined.push(item));
    const empty = pending.whenEmpty();
    pending.clear();
    jest.advanceTimersByTime(1000);
    expect(joined).toEqual([]);
    await expect(empty).resolves.toBeUndefined();
  });
});
