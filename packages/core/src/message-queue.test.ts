import { QueueOverflowError } from './errors';
import { MessageQueue } from './message-queue';

describe('MessageQueue', () => {
  it('should keep order across growth and wrap-around', () => {
    const queue = new MessageQueue<number>(5000, 'drop-oldest');
    for (let i = 0; i < 1500; i++) queue.push(i);
    for (let i = 0; i < 700; i++) expect(queue.shift()).toBe(i);
    for (let i = 1500; i < 4000; i++) queue.push(i);
    const out: number[] = [];
    while (queue.length > 0) out.push(queue.shift() as number);
    expect(out).toEqual(Array.from({ length: 3300 }, (_, i) => i + 700));
  });

  it('should drop the oldest message when full by default', () => {
    const queue = new MessageQueue<number>(3, 'drop-oldest');
    [1, 2, 3, 4].forEach((n) => queue.push(n));
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual([2, 3, 4]);
    expect(queue.dropped).toBe(1);
  });

  it('should drop the arriving message with drop-newest', () => {
    const queue = new MessageQueue<number>(2, 'drop-newest');
    expect([1, 2, 3].map((n) => queue.push(n))).toEqual([true, true, false]);
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual([1, 2, undefined]);
  });

  it('should throw QueueOverflowError once, then go on, with the error policy', () => {
    const queue = new MessageQueue<number>(2, 'error');
    [1, 2, 3].forEach((n) => queue.push(n));
    expect(() => queue.shift()).toThrow(QueueOverflowError);
    expect(queue.dropped).toBe(3);
    expect(queue.shift()).toBeUndefined();
    queue.push(9);
    expect(queue.shift()).toBe(9);
  });
});
