import { ConnectionLostError } from './errors';
import { RecoveryClock } from './recovery-clock';

describe('RecoveryClock', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should run from the first loss, not push the limit back on later ones, and expire once', () => {
    const expired: ConnectionLostError[] = [];
    const clock = new RecoveryClock('127.0.0.1:7000', 1000, (error) => expired.push(error));
    expect(clock.running).toBe(false);
    clock.lost(undefined);
    expect(clock.running).toBe(true);
    jest.advanceTimersByTime(600);
    clock.lost(undefined); // dropped again while reconnecting
    jest.advanceTimersByTime(399);
    expect(expired).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(expired).toHaveLength(1);
    expect(clock.running).toBe(false);
    expect(expired[0]).toBeInstanceOf(ConnectionLostError);
    expect(expired[0]!.message).toBe(
      'the subscriptions on 127.0.0.1:7000 could not be restored within 1000 ms; the node is unreachable and no other node took over its slots',
    );
    jest.advanceTimersByTime(10_000);
    expect(expired).toHaveLength(1);
  });

  it("should name the node's last refusal as the cause", () => {
    const expired: ConnectionLostError[] = [];
    const clock = new RecoveryClock('127.0.0.1:7000', 1000, (error) => expired.push(error));
    clock.lost(new Error('WRONGPASS first'));
    clock.lost(new Error('WRONGPASS again'));
    jest.advanceTimersByTime(1000);
    expect(expired[0]!.message).toMatch(/within 1000 ms; the node refused the connection's handshake: WRONGPASS again$/);
    expect(expired[0]!.cause).toEqual(new Error('WRONGPASS again'));
  });

  it('should do nothing once stopped, and start afresh at the next loss', () => {
    const expired: ConnectionLostError[] = [];
    const clock = new RecoveryClock('127.0.0.1:7000', 1000, (error) => expired.push(error));
    clock.lost(new Error('NOAUTH'));
    jest.advanceTimersByTime(900);
    clock.stop();
    expect(clock.running).toBe(false);
    jest.advanceTimersByTime(5000);
    expect(expired).toHaveLength(0);
    clock.lost(undefined); // a new loss: a whole new limit, and the old cause is forgotten
    jest.advanceTimersByTime(999);
    expect(expired).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(expired[0]!.message).toMatch(/the node is unreachable/);
  });
});
