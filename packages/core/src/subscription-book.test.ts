import { SubscriptionBook } from './subscription-book';

describe('SubscriptionBook', () => {
  it('should plan one subscribe for a wanted name and nothing once it is held', () => {
    const book = new SubscriptionBook<boolean>();
    book.want('a', true);
    book.want('b', true);
    expect(book.plan()).toEqual({ subscribe: ['a', 'b'], unsubscribe: [] });
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    book.settle('subscribe', ['a', 'b'], true);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.isActive('a')).toBe(true);
  });

  it('should send nothing when a name is wanted and dropped before the flush', () => {
    const book = new SubscriptionBook<boolean>();
    book.want('a', true);
    book.drop('a');
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.idle).toBe(true);
  });

  it('should wait for an in-flight subscribe before unsubscribing the same name', () => {
    const book = new SubscriptionBook<boolean>();
    book.want('a', true);
    book.plan();
    book.drop('a');
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.isActive('a')).toBe(false);
    book.settle('subscribe', ['a'], true);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: ['a'] });
    book.settle('unsubscribe', ['a'], true);
    expect(book.idle).toBe(true);
  });

  it('should resubscribe a name wanted again while its unsubscribe is in flight', () => {
    const book = new SubscriptionBook<boolean>();
    book.want('a', true);
    book.plan();
    book.settle('subscribe', ['a'], true);
    book.drop('a');
    expect(book.plan().unsubscribe).toEqual(['a']);
    book.want('a', true);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    book.settle('unsubscribe', ['a'], true);
    expect(book.plan()).toEqual({ subscribe: ['a'], unsubscribe: [] });
  });

  it('should replan every wanted name after the connection is lost', () => {
    const book = new SubscriptionBook<boolean>();
    book.want('a', true);
    book.want('b', true);
    book.plan();
    book.settle('subscribe', ['a'], true);
    book.lost();
    expect(book.busy).toBe(false);
    expect(book.plan().subscribe.sort()).toEqual(['a', 'b']);
  });

  it('should retry a failed unsubscribe and forget a refused subscribe once dropped', () => {
    const book = new SubscriptionBook<boolean>();
    book.want('a', true);
    book.plan();
    book.settle('subscribe', ['a'], false);
    book.drop('a');
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
    expect(book.idle).toBe(true);
  });

  it('should count a subscribe settled early (by a message) and then by its reply as held once', () => {
    const book = new SubscriptionBook<boolean>();
    book.want('a', true);
    book.want('b', true);
    book.plan();
    expect(book.settle('subscribe', ['a'], true)).toEqual(['a']);
    expect(book.settle('subscribe', ['a', 'b'], true)).toEqual(['b']);
    expect(book.heldCount).toBe(2);
    expect(book.plan()).toEqual({ subscribe: [], unsubscribe: [] });
  });
});
