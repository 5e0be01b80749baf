/**
 * Seed example "Pattern Subscriptions": `psubscribe` to two glob patterns and print each
 * `pmessage`. A pattern matches channels in every slot, whichever node they live on. The seed
 * listens forever; this port publishes to matching channels (and one that matches nothing) and
 * stops once every matching message has arrived.
 *
 *   npx -y pnpm@10.34.9 --filter @cluster-pubsub/examples run patterns
 */
import { RedisCluster } from '@cluster-pubsub/core';
import { runIfMain, type StartupNodes } from './cluster-from-env';

const NEWS_ANY = 'patterns:news.*';
const EVENTS_ANY = 'patterns:events.*';

const PUBLISHED: readonly (readonly [channel: string, text: string])[] = [
  ['patterns:news.tech', 'Redis 7 adds sharded pub/sub'],
  ['patterns:weather.today', 'Sunny, 24 degrees'], // matches neither pattern
  ['patterns:events.login', 'user 42 logged in'],
  ['patterns:news.sport', 'Local team wins the cup'],
];
const MATCHING = 3;

/**
 * Subscribes two patterns, publishes to four channels in different slots and prints the three
 * messages that match.
 *
 * @example
 * ```ts
 * await main([{ host: '127.0.0.1', port: 7000 }]); // Pattern patterns:news.* matched patterns:news.tech: …
 * ```
 */
export async function main(startupNodes: StartupNodes, log: (line: string) => void = console.log): Promise<void> {
  const rc = new RedisCluster({ startupNodes });
  try {
    // Subscribe to channel patterns
    const pubsub = rc.pubsub();
    await pubsub.psubscribe(NEWS_ANY, EVENTS_ANY);

    for (const [channel, text] of PUBLISHED) {
      await rc.publish(channel, text);
      log(`Published to ${channel}`);
    }

    // Messages from different nodes may arrive in any order; each pattern's own arrive in order.
    let received = 0;
    for await (const message of pubsub.listen()) {
      if (message.type === 'pmessage') {
        log(`Pattern ${message.pattern} matched ${message.channel}: ${message.data}`);
        if (++received === MATCHING) break;
      }
    }
    await pubsub.close();
  } finally {
    await rc.close();
  }
}

runIfMain(module, main);
