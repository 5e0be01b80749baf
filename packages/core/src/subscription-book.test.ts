import { SubscriptionBook, type BookEntry } from './subscription-book';

/** A book over a registry of names by key, as the stream registry is: one value per key. */
function setup(): {
  book: SubscriptionBook<BookEntry>;
  entry: (key: string, slot?: number) => BookEntry;
  hold: (...values: BookEntry[]) => void;
} {
  const registry = new Map<string, BookEntry>();
  const book = new SubscriptionBook<BookEntry>((key) => registry.get(key));
  const entry = (key: string, slot = 0): BookEntry => {
    const value: BookEntry = { key, slot, bookState: 0, bookOwner: null, bookPrev: null, bookNext: null };
    registry.set(key, value);
    return value;
  };
  /** Wants the values, sends their subscribe and has the server confirm it. */
  const hold = (...values: BookEntry[]): void => {
    for (const value of values) book.want(value);
    book.settleSubscribe(book.plan().subscribe, true);
  };
  return { book, entry, hold };
}

const keys = (values: readonly BookEntry[]): string[] => values.map((v) => v.key);

describe('SubscriptionBook', () => {
  it('should plan one subscribe for a wanted name and nothing once it is held', () => {
    const { book, entry } = setup();
    const a = entry('a');
    const b = entry('b');
    book.want(a);
    book.want(b);
    const plan = book.plan();
    expect({ subscribe: keys(plan.subscribe), unsubscribe: plan.unsubscribe }).toEqual({ subscribe: ['a', 'b'], unsubscribe: [] });
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.busy).toBe(true);
    expect(book.settleSubscribe(plan.subscribe, true)).toEqual([a, b]);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.isHeld(a)).toBe(true);
    expect(book.busy).toBe(false);
    expect([...book.values()]).toEqual([a, b]);
  });

  it('should send nothing when a name is wanted and dropped before the flush', () => {
    const { book, entry } = setup();
    const a = entry('a');
    book.want(a);
    book.drop(a);
    expect(book.hasWork).toBe(true);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.hasWork).toBe(false);
    expect(book.idle).toBe(true);
    expect(a.bookOwner).toBeNull();
  });

  it('should plan a name touched many times once', () => {
    const { book, entry } = setup();
    const zeroth = entry('a');
    book.want(zeroth);
    book.drop(zeroth);
    const first = entry('a');
    book.want(first);
    book.drop(first);
    const last = entry('a');
    book.want(last);
    book.want(last);
    expect(book.plan().subscribe).toEqual([last]);
  });

  it('should keep its list whole when names leave from the head, middle and tail', () => {
    const { book, entry } = setup();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((k) => entry(k)) as [BookEntry, BookEntry, BookEntry, BookEntry];
    for (const v of [a, b, c, d]) book.want(v);
    book.drop(b);
    expect([...book.values()]).toEqual([a, c, d]);
    book.drop(a);
    book.drop(d);
    expect([...book.values()]).toEqual([c]);
    expect(book.size).toBe(1);
    book.want(a);
    expect([...book.values()]).toEqual([c, a]);
    expect(book.has(b)).toBe(false);
    expect(book.has(a)).toBe(true);
  });

  it('should refuse a value another book wants', () => {
    const { book, entry } = setup();
    const other = new SubscriptionBook<BookEntry>(() => undefined);
    const a = entry('a');
    other.want(a);
    expect(() => book.want(a)).toThrow(/two books/);
    expect(book.size).toBe(0);
  });

  it('should wait for an in-flight subscribe before unsubscribing the same name', () => {
    const { book, entry } = setup();
    const a = entry('a');
    book.want(a);
    const { subscribe } = book.plan();
    book.drop(a);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.has(a)).toBe(false);
    expect(book.settleSubscribe(subscribe, true)).toEqual([]); // held, but no longer wanted
    expect(book.heldCount).toBe(1);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: ['a'] });
    book.settleUnsubscribe(['a'], true);
    expect(book.idle).toBe(true);
  });

  it('should resubscribe a name wanted again (by a new value) while its unsubscribe is in flight', () => {
    const { book, entry, hold } = setup();
    const a = entry('a');
    hold(a);
    book.drop(a);
    expect(book.plan().unsubscribe).toEqual(['a']);
    const again = entry('a');
    book.want(again);
    expect(book.isHeld(again)).toBe(true); // the server still holds it: state carried over
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    book.settleUnsubscribe(['a'], true);
    expect(book.isHeld(again)).toBe(false);
    expect(book.plan().subscribe).toEqual([again]);
    expect(book.settleSubscribe([again], true)).toEqual([again]);
  });

  it('should settle a subscribe sent for an old value on the new value of its key', () => {
    const { book, entry } = setup();
    const old = entry('a');
    book.want(old);
    const { subscribe } = book.plan();
    book.drop(old);
    const fresh = entry('a');
    book.want(fresh); // in flight still: nothing new to send
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.settleSubscribe(subscribe, true)).toEqual([fresh]);
    expect(book.isHeld(fresh)).toBe(true);
    expect(book.busy).toBe(false);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
  });

  it('should keep a held name held when it is wanted again before its unsubscribe is sent', () => {
    const { book, entry, hold } = setup();
    const a = entry('a');
    hold(a);
    book.drop(a);
    book.want(entry('a'));
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.heldCount).toBe(1);
    expect(book.idle).toBe(false);
  });

  it('should replan every wanted name after the connection is lost', () => {
    const { book, entry } = setup();
    const [a, b, c] = ['a', 'b', 'c'].map((k) => entry(k)) as [BookEntry, BookEntry, BookEntry];
    book.want(a);
    book.want(b);
    book.plan();
    book.settleSubscribe([a], true);
    book.drop(a);
    book.want(c);
    book.lost();
    expect(book.busy).toBe(false);
    expect(book.heldCount).toBe(0);
    expect(keys(book.plan().subscribe).sort()).toEqual(['b', 'c']);
  });

  it('should retry a failed unsubscribe and forget a refused subscribe once dropped', () => {
    const { book, entry, hold } = setup();
    const a = entry('a');
    book.want(a);
    book.settleSubscribe(book.plan().subscribe, false);
    book.drop(a);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.idle).toBe(true);
    const b = entry('b');
    hold(b);
    book.drop(b);
    expect(book.plan().unsubscribe).toEqual(['b']);
    book.settleUnsubscribe(['b'], false);
    expect(book.plan().unsubscribe).toEqual(['b']);
  });

  it('should count a subscribe settled early (by a message) and then by its reply as held once', () => {
    const { book, entry } = setup();
    const a = entry('a');
    const b = entry('b');
    book.want(a);
    book.want(b);
    const { subscribe } = book.plan();
    expect(book.settleSubscribe([a], true)).toEqual([a]);
    expect(book.settleSubscribe(subscribe, true)).toEqual([b]);
    expect(book.heldCount).toBe(2);
    expect(book.busy).toBe(false);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
  });

  it('should know the slot of each leaving name', () => {
    const { book, entry, hold } = setup();
    const a = entry('a', 7);
    const b = entry('b', 16383);
    hold(a, b);
    book.drop(a);
    book.drop(b);
    expect(book.plan().unsubscribe).toEqual(['a', 'b']);
    expect([book.leavingSlot('a'), book.leavingSlot('b'), book.leavingSlot('c')]).toEqual([7, 16383, -1]);
    book.settleUnsubscribe(['a'], false); // retried: still leaving, slot kept
    expect(book.leavingSlot('a')).toBe(7);
  });

  it('should release every value on clear', () => {
    const { book, entry, hold } = setup();
    const a = entry('a');
    const b = entry('b');
    hold(a, b);
    book.drop(b);
    book.clear();
    expect(book.idle).toBe(true);
    expect(book.hasWork).toBe(false);
    expect([a.bookOwner, a.bookNext, b.bookOwner]).toEqual([null, null, null]);
    expect(book.leavingSlot('b')).toBe(-1);
  });
});
