import { HealthCheck } from './health-check';

/** Lets `count` intervals of 100 ms pass, each with the check that follows it (an immediate). */
function intervals(count: number): void {
  for (let i = 0; i < count; i++) {
    jest.advanceTimersByTime(100);
    jest.advanceTimersByTime(1); // the fake clock runs the check's immediate 1 ms after the interval
  }
}

describe('HealthCheck', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should ping every interval and keep a connection that answers', () => {
    let pings = 0;
    let dead = 0;
    const health: HealthCheck = new HealthCheck(100, () => (pings++, health.heardFrom()), () => dead++);
    intervals(10);
    expect(pings).toBe(10);
    expect(dead).toBe(0);
    health.stop();
  });

  it('should count any data as an answer, and declare a silent connection dead once', () => {
    let pings = 0;
    let dead = 0;
    const health = new HealthCheck(100, () => pings++, () => dead++);
    intervals(1); // first PING
    health.heardFrom(); // a message, not the PING's reply
    intervals(1); // second PING
    expect(dead).toBe(0);
    intervals(1); // a whole interval of silence after it
    expect(dead).toBe(1);
    intervals(10);
    expect(dead).toBe(1);
    expect(pings).toBe(2);
  });

  it('should do nothing once stopped', () => {
    let pings = 0;
    const health = new HealthCheck(100, () => pings++, () => undefined);
    health.stop();
    intervals(10);
    expect(pings).toBe(0);
  });
});
