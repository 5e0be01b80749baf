import { PendingJoins } from './pending-joins';

describe('PendingJoins', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should join each pending item once after the delay and then report empty', () => {
    let emptied = 0;
    const pending = new PendingJoins<string>(() => emptied++);
    const joined: string[] = [];
    pending.schedule(['a', 'b'], 250, (item) => {
      joined.push(item);
      expect(emptied).toBe(0); // reported only after the last item joined
    });
    expect(pending.size).toBe(2);
    jest.advanceTimersByTime(249);
    expect(joined).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(joined).toEqual(['a', 'b']);
    expect(pending.size).toBe(0);
    expect(emptied).toBe(1);
  });

  it('should never join a cancelled item, and be empty once the rest joined', () => {
    let emptied = 0;
    const pending = new PendingJoins<string>(() => emptied++);
    const joined: string[] = [];
    pending.schedule(['a', 'b'], 100, (item) => joined.push(item));
    pending.cancel('a');
    expect(pending.has('a')).toBe(false);
    expect(emptied).toBe(0);
    jest.advanceTimersByTime(100);
    expect(joined).toEqual(['b']);
    expect(emptied).toBe(1);
  });

  it('should join a rescheduled item once, at its new time', () => {
    const pending = new PendingJoins<string>(() => undefined);
    const joined: string[] = [];
    pending.schedule(['a'], 100, (item) => joined.push(`first:${item}`));
    pending.schedule(['a'], 300, (item) => joined.push(`second:${item}`));
    jest.advanceTimersByTime(1000);
    expect(joined).toEqual(['second:a']);
  });

  it('should drop everything on clear and report empty', () => {
    let emptied = 0;
    const pending = new PendingJoins<string>(() => emptied++);
    const joined: string[] = [];
    pending.schedule(['a'], 100, (item) => joined.push(item));
    pending.clear();
    expect(emptied).toBe(1);
    jest.advanceTimersByTime(1000);
    expect(joined).toEqual([]);
  });
});
