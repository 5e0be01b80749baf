import { asciiKeySlot, scanned } from './key-slot';
import { hashBytes, hashKey, NameTable, type Keyed } from './name-table';

const value = (key: string, keyHash = hashKey(key)): Keyed => ({ key, keyHash });

describe('NameTable', () => {
  it('should find, add and delete values by key', () => {
    const table = new NameTable<Keyed>();
    const a = value('a');
    table.add(a);
    expect(table.get('a', hashKey('a'))).toBe(a);
    expect(table.get('b', hashKey('b'))).toBeUndefined();
    expect(table.size).toBe(1);
    expect(table.delete(value('a'))).toBe(false); // another value with the same key
    expect(table.delete(a)).toBe(true);
    expect(table.delete(a)).toBe(false);
    expect(table.get('a', hashKey('a'))).toBeUndefined();
    expect(table.size).toBe(0);
  });

  it('should keep keys of one hash apart, and find them past deleted slots', () => {
    const table = new NameTable<Keyed>();
    const same = ['x', 'y', 'z', 'w'].map((key) => value(key, 7));
    for (const v of same) table.add(v);
    table.delete(same[1]!);
    expect(same.map((v) => table.get(v.key, 7))).toEqual([same[0], undefined, same[2], same[3]]);
    const again = value('y', 7);
    table.add(again); // reuses the deleted slot
    expect(table.get('y', 7)).toBe(again);
    expect([...table.all()].length).toBe(4);
  });

  it('should grow, and shrink again once its names are gone, through the churn of 10,000 names', () => {
    const table = new NameTable<Keyed>();
    for (let pass = 0; pass < 5; pass++) {
      const values = Array.from({ length: 10_000 }, (_, i) => value(`n:${pass}:${i}`));
      for (const v of values) table.add(v);
      expect(table.size).toBe(10_000);
      expect(values.every((v) => table.get(v.key, v.keyHash) === v)).toBe(true);
      for (const v of values) expect(table.delete(v)).toBe(true);
      expect(table.size).toBe(0);
    }
    for (let i = 0; i < 100; i++) table.add(value(`last:${i}`));
    expect([...table.all()].map((v) => v.key).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `last:${i}`).sort());
    expect((table as unknown as { values: unknown[] }).values.length).toBeLessThanOrEqual(512);
  });

  it('should hash ASCII names the same while their slot is computed', () => {
    for (const name of ['news', '', 'a{b}c', 'orders:{42}', '\x00\x7f']) {
      expect(asciiKeySlot(name)).toBeGreaterThanOrEqual(0);
      expect(scanned.keyHash).toBe(hashKey(name));
    }
  });

  it('should find a name from the bytes it arrives in, as its key finds it', () => {
    const table = new NameTable<Keyed>();
    // A non-ASCII name's key has one char per byte: 'café' is the 5 bytes of its UTF-8.
    const keys = ['news', 'new', 'newsX', Buffer.from('café').toString('latin1'), ''];
    for (const key of keys) table.add(value(key));
    const frame = Buffer.concat([Buffer.from('$4\r\n'), Buffer.from('news'), Buffer.from('\r\n$5\r\n'), Buffer.from('café')]);
    const find = (start: number, end: number): Keyed | undefined => table.getBytes(frame, start, end, hashBytes(frame, start, end));
    expect(hashBytes(frame, 4, 8)).toBe(hashKey('news'));
    expect(find(4, 8)?.key).toBe('news');
    expect(find(4, 7)?.key).toBe('new');
    expect(find(14, 19)?.key).toBe(keys[3]);
    expect(find(4, 4)?.key).toBe('');
    expect(find(5, 8)).toBeUndefined(); // 'ews'
  });

  it('should tell apart keys of the same hash and length, in any order, long ones included', () => {
    // Every key in one bucket: equal hashes force the comparison of the bytes themselves.
    const table = new NameTable<Keyed>();
    const long = 'k'.repeat(5000);
    const keys = ['chan:a', 'chan:b', `${long}a`, `${long}b`];
    for (const key of keys) table.add({ key, keyHash: 7 });
    const find = (name: string): Keyed | undefined => {
      const bytes = Buffer.from(`xx${name}yy`, 'latin1');
      return table.getBytes(bytes, 2, 2 + name.length, 7);
    };
    for (const name of ['chan:b', 'chan:a', 'chan:a', `${long}b`, 'chan:b', `${long}a`, `${long}a`]) expect(find(name)?.key).toBe(name);
    expect(find('chan:c')).toBeUndefined();
    expect(find(`${long}c`)).toBeUndefined();
  });
});
