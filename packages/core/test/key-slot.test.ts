import Redis from 'ioredis';
import { keySlot } from '../src';
import { startupNodes } from './support';

/** A tiny seeded generator, so a failure names a reproducible case. */
function random(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

describe('keySlot', () => {
  it('should agree with CLUSTER KEYSLOT for names rich in { and }', async () => {
    const next = random(20261124);
    const alphabet = ['{', '}', '{', '}', 'a', 'b', '1', ':', 'é', '\u0000'];
    const names: (string | Buffer)[] = ['abc{}{def}', '{}{x}', '{}', '}{', '{{a}}', 'a{b}c{d}', '{', '}', ''];
    for (let i = 0; i < 3000; i++) {
      const length = Math.floor(next() * 12);
      names.push(Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
    }
    for (let i = 0; i < 500; i++) {
      names.push(Buffer.from(Array.from({ length: 1 + Math.floor(next() * 8) }, () => [0x7b, 0x7d, 0xff, 0x00, 0x61][Math.floor(next() * 5)]!)));
    }
    const { host, port } = startupNodes()[0]!;
    const redis = new Redis({ host, port });
    const pipeline = redis.pipeline();
    for (const name of names) pipeline.call('CLUSTER', 'KEYSLOT', name);
    const results = (await pipeline.exec())!;
    redis.disconnect();
    const mismatches = names.filter((name, i) => keySlot(name) !== Number(results[i]![1]));
    expect(mismatches).toEqual([]);
  });
});
