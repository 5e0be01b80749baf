import { Observable, Subscription, map } from 'rxjs';
import { attachTeardown } from './rxjs-teardown';

/** A stream whose subscribe function hands its teardown over the way the registry does. */
function counted(log: string[], before?: (subscriber: Subscription) => void): Observable<number> {
  return new Observable<number>((subscriber) => {
    before?.(subscriber);
    attachTeardown(subscriber, { unsubscribe: () => log.push('left') });
    subscriber.next(1);
  });
}

describe('attachTeardown', () => {
  it('should run the teardown once when the subscriber unsubscribes, with or without operators', () => {
    const log: string[] = [];
    const direct = counted(log).subscribe();
    const piped = counted(log).pipe(map((n) => n + 1)).subscribe();
    expect(log).toEqual([]);
    direct.unsubscribe();
    direct.unsubscribe();
    piped.unsubscribe();
    expect(log).toEqual(['left', 'left']);
  });

  it('should store a one-slot finalizer list (rxjs 7 internals this module relies on)', () => {
    const subscription = counted([]).subscribe();
    const finalizers = (subscription as unknown as { _finalizers: unknown })._finalizers;
    expect(Array.isArray(finalizers) && finalizers.length).toBe(1);
    subscription.unsubscribe();
  });

  it('should keep finalizers added before and after it', () => {
    const log: string[] = [];
    const subscription = counted(log, (s) => s.add(() => log.push('before'))).subscribe();
    subscription.add(() => log.push('after'));
    subscription.unsubscribe();
    expect(log).toEqual(['before', 'left', 'after']);
  });

  it('should run the teardown at once for a subscriber that is already closed', () => {
    const log: string[] = [];
    const stream = new Observable<number>((subscriber) => {
      subscriber.complete();
      attachTeardown(subscriber, { unsubscribe: () => log.push('left') });
    });
    stream.subscribe();
    expect(log).toEqual(['left']);
  });

  it('should let remove() take the teardown back out', () => {
    const log: string[] = [];
    const membership = { unsubscribe: () => log.push('left') };
    let captured: Subscription | undefined;
    const subscription = new Observable<number>((subscriber) => {
      captured = subscriber;
      attachTeardown(subscriber, membership);
    }).subscribe();
    captured?.remove(membership as unknown as Subscription);
    subscription.unsubscribe();
    expect(log).toEqual([]);
  });
});
