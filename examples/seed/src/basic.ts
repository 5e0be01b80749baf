/**
 * Seed example "Basic Pub/Sub Usage": subscribe to three channels and print each message that
 * `listen()` yields. The seed listens forever; this port publishes the messages itself (standing
 * in for other processes) and stops once it has received them all.
 *
 *   npx -y pnpm@10.34.9 --filter @cluster-pubsub/examples run basic
 */
import { RedisCluster } from '@cluster-pubsub/core';
import { runIfMain, type StartupNodes } from './cluster-from-env';

// Each example prefixes its names with its own, so that examples never hear one another.
const NEWS = 'basic:news';
const UPDATES = 'basic:updates';
const ALERTS = 'basic:alerts';

const MESSAGES: readonly (readonly [channel: string, text: string])[] = [
  [NEWS, 'Breaking: Redis Cluster is awesome!'],
  [UPDATES, 'System maintenance scheduled for tonight'],
  [ALERTS, 'High memory usage detected'],
];

/**
 * Subscribes with `pubsub.subscribe(...)`, publishes three messages and prints them from
 * `for await (... of pubsub.listen())`.
 *
 * @example
 * ```ts
 * await main([{ host: '127.0.0.1', port: 7000 }]); // Received on basic:news: Breaking: …
 * ```
 */
export async function main(startupNodes: StartupNodes, log: (line: string) => void = console.log): Promise<void> {
  const rc = new RedisCluster({ startupNodes });
  try {
    // Get pub/sub interface
    const pubsub = rc.pubsub();

    // Subscribe to channels. Resolves once every channel's node confirmed it: from then on
    // nothing published is missed, so publishing right away is safe.
    await pubsub.subscribe(NEWS, UPDATES, ALERTS);
    log(`Subscribed to ${[...pubsub.channels.keys()].join(', ')}`);

    for (const [channel, text] of MESSAGES) await rc.publish(channel, text);

    // Listen for messages. `listen()` also yields the three `subscribe` confirmations, which
    // the type check skips, as in the seed. Names and payloads are strings: nothing to decode.
    let received = 0;
    for await (const message of pubsub.listen()) {
      if (message.type === 'message') {
        log(`Received on ${message.channel}: ${message.data}`);
        if (++received === MESSAGES.length) break;
      }
    }

    // Clean up
    await pubsub.close();
  } finally {
    await rc.close();
  }
}

runIfMain(module, main);
