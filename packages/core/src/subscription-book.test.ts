import { SubscriptionBook, type BookEntry } from './subscription-book';

const entry = (): BookEntry => ({ bookState: 0 });

describe('SubscriptionBook', () => {
  it('should plan one subscribe for a wanted name and nothing once it is held', () => {
    const book = new SubscriptionBook<BookEntry>();
    const a = entry();
    book.want('a', a);
    book.want('b', entry());
    expect(book.plan()).toEqual({ subscribe: ['a', 'b'], unsubscribe: [] });
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.busy).toBe(true);
    expect(book.settle('subscribe', ['a', 'b'], true)).toEqual([a, book.get('b')]);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.isHeld(a)).toBe(true);
    expect(book.busy).toBe(false);
  });

  it('should send nothing when a name is wanted and dropped before the flush', () => {
    const book = new SubscriptionBook<BookEntry>();
    book.want('a', entry());
    book.drop('a');
    expect(book.hasWork).toBe(true);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.hasWork).toBe(false);
    expect(book.idle).toBe(true);
  });

  it('should plan a name touched many times once', () => {
    const book = new SubscriptionBook<BookEntry>();
    book.want('a', entry());
    book.drop('a');
    book.want('a', entry());
    book.drop('a');
    book.want('a', entry());
    expect(book.plan()).toEqual({ subscribe: ['a'], unsubscribe: [] });
  });

  it('should wait for an in-flight subscribe before unsubscribing the same name', () => {
    const book = new SubscriptionBook<BookEntry>();
    book.want('a', entry());
    book.plan();
    book.drop('a');
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.get('a')).toBeUndefined();
    expect(book.settle('subscribe', ['a'], true)).toEqual([]); // held, but no longer wanted
    expect(book.heldCount).toBe(1);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: ['a'] });
    book.settle('unsubscribe', ['a'], true);
    expect(book.idle).toBe(true);
  });

  it('should resubscribe a name wanted again while its unsubscribe is in flight', () => {
    const book = new SubscriptionBook<BookEntry>();
    book.want('a', entry());
    book.plan();
    book.settle('subscribe', ['a'], true);
    book.drop('a');
    expect(book.plan().unsubscribe).toEqual(['a']);
    const again = entry();
    book.want('a', again);
    expect(book.isHeld(again)).toBe(true); // the server still holds it: state carried over
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.settle('unsubscribe', ['a'], true)).toEqual([]);
    expect(book.isHeld(again)).toBe(false);
    expect(book.plan()).toEqual({ subscribe: ['a'], unsubscribe: [] });
    expect(book.settle('subscribe', ['a'], true)).toEqual([again]);
  });

  it('should keep a held name held when it is wanted again before its unsubscribe is sent', () => {
    const book = new SubscriptionBook<BookEntry>();
    book.want('a', entry());
    book.plan();
    book.settle('subscribe', ['a'], true);
    book.drop('a');
    book.want('a', entry());
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.heldCount).toBe(1);
    expect(book.idle).toBe(false);
  });

  it('should replan every wanted name after the connection is lost', () => {
    const book = new SubscriptionBook<BookEntry>();
    book.want('a', entry());
    book.want('b', entry());
    book.plan();
    book.settle('subscribe', ['a'], true);
    book.drop('a');
    book.want('c', entry());
    book.lost();
    expect(book.busy).toBe(false);
    expect(book.heldCount).toBe(0);
    expect(book.plan().subscribe.sort()).toEqual(['b', 'c']);
  });

  it('should retry a failed unsubscribe and forget a refused subscribe once dropped', () => {
    const book = new SubscriptionBook<BookEntry>();
    book.want('a', entry());
    book.plan();
    book.settle('subscribe', ['a'], false);
    book.drop('a');
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.idle).toBe(true);
    book.want('b', entry());
    book.plan();
    book.settle('subscribe', ['b'], true);
    book.drop('b');
    expect(book.plan().unsubscribe).toEqual(['b']);
    book.settle('unsubscribe', ['b'], false);
    expect(book.plan().unsubscribe).toEqual(['b']);
  });

  it('should count a subscribe settled early (by a message) and then by its reply as held once', () => {
    const book = new SubscriptionBook<BookEntry>();
    const a = entry();
    const b = entry();
    book.want('a', a);
    book.want('b', b);
    book.plan();
    expect(book.settle('subscribe', ['a'], true)).toEqual([a]);
    expect(book.settle('subscribe', ['a', 'b'], true)).toEqual([b]);
    expect(book.heldCount).toBe(2);
    expect(book.busy).toBe(false);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
  });
});
