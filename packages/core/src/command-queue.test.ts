import { CommandQueue, type Outcome } from './command-queue';

describe('CommandQueue', () => {
  it('should resolve a command of several names only after all of them, with the last count', () => {
    const queue = new CommandQueue();
    const outcome = expectOn(queue, 'subscribe', ['a', 'b', 'c']);
    expect(queue.confirm('subscribe', 'a', 1)).toBe(true);
    expect(queue.confirm('subscribe', 'b', 2)).toBe(true);
    expect(outcome()).toBeUndefined();
    expect(queue.size).toBe(1);
    expect(queue.confirm('subscribe', 'c', 3)).toBe(true);
    expect(outcome()).toEqual({ type: 'ok', count: 3 });
    expect(queue.size).toBe(0);
  });

  it('should answer commands in the order they were sent', () => {
    const queue = new CommandQueue();
    const first = expectOn(queue, 'psubscribe', ['p1*']);
    const second = expectOn(queue, 'subscribe', ['a', 'b']);
    const third = expectOn(queue, 'psubscribe', ['p2*']);
    expect(queue.confirm('subscribe', 'a', 1)).toBe(false);
    expect(first()).toBeUndefined();
    expect(queue.confirm('psubscribe', 'p1*', 1)).toBe(true);
    expect(first()).toEqual({ type: 'ok', count: 1 });
    expect(queue.confirm('subscribe', 'a', 2)).toBe(true);
    expect(queue.confirm('subscribe', 'b', 3)).toBe(true);
    expect(second()).toEqual({ type: 'ok', count: 3 });
    expect(third()).toBeUndefined();
    expect(queue.confirm('psubscribe', 'p2*', 4)).toBe(true);
    expect(third()).toEqual({ type: 'ok', count: 4 });
  });

  it('should fail only the oldest command, whole, and return its type', () => {
    const queue = new CommandQueue();
    const first = expectOn(queue, 'ssubscribe', ['s{1}', 's{2}']);
    const second = expectOn(queue, 'subscribe', ['a']);
    expect(queue.confirm('ssubscribe', 's{1}', 1)).toBe(true);
    const error = new Error('MOVED 1234 127.0.0.1:7001');
    expect(queue.fail(error)).toBe('ssubscribe');
    expect(first()).toEqual({ type: 'refused', error });
    expect(second()).toBeUndefined();
    expect(queue.size).toBe(1);
    expect(queue.confirm('subscribe', 'a', 1)).toBe(true);
    expect(second()).toEqual({ type: 'ok', count: 1 });
    expect(queue.fail(new Error('ERR nothing pending'))).toBeUndefined();
  });

  it('should not count an unsolicited sunsubscribe unless it names the next expected name', () => {
    const queue = new CommandQueue();
    const outcome = expectOn(queue, 'sunsubscribe', ['s{1}', 's{2}']);
    expect(queue.confirm('sunsubscribe', 'other{9}', 0)).toBe(false);
    expect(queue.confirm('sunsubscribe', 's{2}', 1)).toBe(false);
    expect(queue.confirm('sunsubscribe', null, 0)).toBe(false);
    expect(outcome()).toBeUndefined();
    expect(queue.confirm('sunsubscribe', 's{1}', 1)).toBe(true);
    expect(queue.confirm('sunsubscribe', 'other{9}', 0)).toBe(false);
    expect(outcome()).toBeUndefined();
    expect(queue.confirm('sunsubscribe', 's{2}', 0)).toBe(true);
    expect(outcome()).toEqual({ type: 'ok', count: 0 });
  });

  it('should not count an unsolicited sunsubscribe against a command of another type', () => {
    const queue = new CommandQueue();
    expect(queue.confirm('sunsubscribe', 's{1}', 0)).toBe(false);
    const outcome = expectOn(queue, 'ssubscribe', ['s{1}']);
    expect(queue.confirm('sunsubscribe', 's{1}', 0)).toBe(false);
    expect(queue.confirm('ssubscribe', 's{1}', 1)).toBe(true);
    expect(outcome()).toEqual({ type: 'ok', count: 1 });
  });

  it('should resolve only a pong command on a pong', () => {
    const queue = new CommandQueue();
    queue.pong();
    const subscribe = expectOn(queue, 'subscribe', ['a']);
    const ping = expectOn(queue, 'pong', []);
    queue.pong();
    expect(subscribe()).toBeUndefined();
    expect(ping()).toBeUndefined();
    expect(queue.confirm('subscribe', 'a', 1)).toBe(true);
    expect(queue.confirm('subscribe', 'a', 1)).toBe(false);
    queue.pong();
    expect(ping()).toEqual({ type: 'ok', count: 0 });
    expect(queue.size).toBe(0);
  });

  it('should resolve everything pending as dropped on dropAll, and start afresh', () => {
    const queue = new CommandQueue();
    const done = expectOn(queue, 'subscribe', ['a']);
    queue.confirm('subscribe', 'a', 1);
    const pending = [
      expectOn(queue, 'subscribe', ['b', 'c']),
      expectOn(queue, 'pong', []),
      expectOn(queue, 'punsubscribe', ['p*']),
    ];
    queue.confirm('subscribe', 'b', 2);
    queue.dropAll();
    expect(done()).toEqual({ type: 'ok', count: 1 });
    for (const outcome of pending) expect(outcome()).toEqual({ type: 'dropped' });
    expect(queue.size).toBe(0);
    expect(queue.confirm('subscribe', 'c', 3)).toBe(false);
    const next = expectOn(queue, 'subscribe', ['d']);
    expect(queue.confirm('subscribe', 'd', 1)).toBe(true);
    expect(next()).toEqual({ type: 'ok', count: 1 });
  });

  it('should keep order with thousands of commands in flight', () => {
    const queue = new CommandQueue();
    const total = 3000;
    const answered: number[] = [];
    const send = (i: number): void =>
      queue.expect(i % 2 ? 'subscribe' : 'ssubscribe', [`k${i}`], (outcome) => {
        if (outcome.type === 'ok') answered.push(outcome.count);
      });
    const confirm = (i: number): boolean => queue.confirm(i % 2 ? 'subscribe' : 'ssubscribe', `k${i}`, i);
    for (let i = 0; i < total; i++) send(i);
    // Past 1024 answered, the queue compacts: order must survive it, and new commands too.
    for (let i = 0; i < 2000; i++) expect(confirm(i)).toBe(true);
    for (let i = total; i < total + 500; i++) send(i);
    expect(queue.size).toBe(1500);
    for (let i = 2000; i < total + 500; i++) expect(confirm(i)).toBe(true);
    expect(answered).toEqual(Array.from({ length: total + 500 }, (_, i) => i));
    expect(queue.size).toBe(0);
    const dropped = expectOn(queue, 'pong', []);
    queue.dropAll();
    expect(dropped()).toEqual({ type: 'dropped' });
  });

  it('should tell expectLater outcomes a microtask after the answer, all in one round, in order', async () => {
    const queue = new CommandQueue();
    const told: string[] = [];
    const listen = (name: string) => (outcome: Outcome): void => {
      told.push(`${name}:${outcome.type}`);
    };
    queue.expectLater('ssubscribe', ['s{1}'], listen('first'));
    queue.expect('pong', [], listen('now'));
    queue.expectLater('ssubscribe', ['s{2}', 's{2}b'], listen('second'));
    queue.expectLater('sunsubscribe', ['s{3}'], listen('third'));
    expect(queue.confirm('ssubscribe', 's{1}', 1)).toBe(true);
    queue.pong();
    expect(queue.confirm('ssubscribe', 's{2}', 2)).toBe(true);
    expect(queue.confirm('ssubscribe', 's{2}b', 3)).toBe(true);
    queue.dropLater(listen('closed'), null);
    expect(queue.fail(new Error('MOVED 3 127.0.0.1:7001'))).toBe('sunsubscribe');
    // Only the plain expect was told at once.
    expect(told).toEqual(['now:ok']);
    await Promise.resolve();
    expect(told).toEqual(['now:ok', 'first:ok', 'second:ok', 'closed:dropped', 'third:refused']);
    expect(queue.size).toBe(0);
  });

  it('should answer the commands of one expectLater entry one by one, with their index', async () => {
    const queue = new CommandQueue();
    const told: string[] = [];
    const settle = (outcome: Outcome, command: number): void => {
      told.push(`${command}:${outcome.type === 'ok' ? outcome.count : outcome.type}`);
    };
    // Four SSUBSCRIBEs written together: slots 1, 2, 3 and 4 (one name each but the first).
    queue.expectLater('ssubscribe', ['a{1}', 'b{1}', 'c{2}', 'd{3}', 'e{4}'], settle, [2, 3, 4, 5]);
    const after = expectOn(queue, 'pong', []);
    expect(queue.confirm('ssubscribe', 'a{1}', 1)).toBe(true);
    expect(queue.confirm('ssubscribe', 'b{1}', 2)).toBe(true);
    expect(queue.confirm('ssubscribe', 'c{2}', 3)).toBe(true);
    // An error answers the third command alone; the fourth is still awaited.
    expect(queue.fail(new Error('MOVED 3 127.0.0.1:7001'))).toBe('ssubscribe');
    expect(queue.size).toBe(2);
    // The server's own SUNSUBSCRIBE (a slot left) answers none of them.
    expect(queue.confirm('sunsubscribe', 'z{9}', 2)).toBe(false);
    expect(queue.confirm('ssubscribe', 'e{4}', 4)).toBe(true);
    expect(queue.size).toBe(1);
    queue.pong();
    expect(after()).toEqual({ type: 'ok', count: 0 });
    expect(told).toEqual([]);
    await Promise.resolve();
    expect(told).toEqual(['0:2', '1:3', '2:refused', '3:4']);
  });

  it('should drop the commands of an entry not answered yet, each with its index', async () => {
    const queue = new CommandQueue();
    const told: string[] = [];
    queue.expectLater('sunsubscribe', ['a{1}', 'b{2}', 'c{3}'], (outcome, command) => told.push(`${command}:${outcome.type}`), [1, 2, 3]);
    expect(queue.confirm('sunsubscribe', 'b{2}', 0)).toBe(false);
    expect(queue.confirm('sunsubscribe', 'a{1}', 0)).toBe(true);
    queue.dropAll();
    expect(queue.size).toBe(0);
    // A write on a closed connection: each of its commands is dropped, with its index.
    queue.dropLater((outcome, command) => told.push(`closed ${command}:${outcome.type}`), [1, 3]);
    await Promise.resolve();
    expect(told).toEqual(['0:ok', '1:dropped', '2:dropped', 'closed 0:dropped', 'closed 1:dropped']);
  });

  it('should tell expectLater commands dropped by dropAll a microtask later', async () => {
    const queue = new CommandQueue();
    const outcomes: Outcome[] = [];
    queue.expectLater('subscribe', ['a', 'b'], (outcome) => outcomes.push(outcome));
    queue.confirm('subscribe', 'a', 1);
    queue.dropAll();
    expect(outcomes).toEqual([]);
    await Promise.resolve();
    expect(outcomes).toEqual([{ type: 'dropped' }]);
  });
});

/** Queues a command; the returned function reads its outcome (undefined while pending). */
function expectOn(queue: CommandQueue, type: Parameters<CommandQueue['expect']>[0], keys: string[]): () => Outcome | undefined {
  let outcome: Outcome | undefined;
  queue.expect(type, keys, (o) => {
    if (outcome) throw new Error('resolved twice');
    outcome = o;
  });
  return () => outcome;
}
