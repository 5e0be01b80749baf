import calculateSlot from 'cluster-key-slot';
import { asciiBytesSlot, asciiKeySlot, keySlot } from './key-slot';

describe('keySlot', () => {
  it('should hash only the first non-empty hash tag', () => {
    expect(keySlot('user:{42}:name')).toBe(keySlot('42'));
    expect(keySlot('{a}{b}')).toBe(keySlot('a'));
  });

  it('should hash the whole name when the first tag is empty, unlike cluster-key-slot', () => {
    expect(keySlot('abc{}{def}')).toBe(1851);
    expect(keySlot('{}{x}')).toBe(3257);
    expect(calculateSlot('abc{}{def}')).not.toBe(1851);
  });

  it('should treat strings and their UTF-8 bytes alike', () => {
    for (const name of ['plain', 'é{ü}', '{', 'a}b{c']) expect(keySlot(name)).toBe(keySlot(Buffer.from(name)));
  });
});

describe('keySlot on ASCII names', () => {
  it('should agree with cluster-key-slot on names without a hash tag', () => {
    for (let i = 0; i < 5000; i++) {
      const name = `name:${i}:${(i * 7919).toString(36)}~\x00\x7f`;
      expect(keySlot(name)).toBe(calculateSlot(name));
    }
  });
});

describe('asciiKeySlot', () => {
  it('should give the slot of ASCII names, hash tags included, and -1 for any other', () => {
    const tagged = ['{', '}', '{}', '}{', '{a', 'a}', '{a}', 'x{}y', 'x}{a}', 'x{a}}{b}', '{{a}}', 'abc{}{def}', 'a{b}c{d}'];
    for (const name of tagged) expect(asciiKeySlot(name)).toBe(keySlot(Buffer.from(name)));
    for (const name of tagged) expect(asciiBytesSlot(Buffer.from(name), name.length)).toBe(keySlot(Buffer.from(name)));
    expect(asciiBytesSlot(Buffer.from('é'), 2)).toBe(-1);
    for (let i = 0; i < 2000; i++) {
      const name = `n:${i}:{${i % 13}}`;
      expect(asciiKeySlot(name)).toBe(calculateSlot(name));
    }
    for (const name of ['é', 'a{é}', '\u0080', 'x\u{1f600}', 'lone \ud800 surrogate']) expect(asciiKeySlot(name)).toBe(-1);
  });

  it('should read names longer than its scratch buffer, and ropes built piece by piece', () => {
    const long = `{${'t'.repeat(3000)}}:${'n'.repeat(3000)}`;
    expect(asciiKeySlot(long)).toBe(keySlot(Buffer.from(long)));
    expect(asciiKeySlot(`${'x'.repeat(5000)}é`)).toBe(-1);
    let rope = 'orders:';
    for (let i = 0; i < 50; i++) rope += `{${i}}`;
    expect(asciiKeySlot(rope)).toBe(calculateSlot(rope));
  });
});
