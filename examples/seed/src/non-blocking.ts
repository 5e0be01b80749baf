/**
 * Seed example "Non-blocking Message Retrieval": poll with `getMessage({ timeout })` and do other
 * work between polls. The timeout is in milliseconds here (the seed's `timeout=1.0` is seconds).
 * The seed polls forever; in this port a stand-in publisher sends two updates up front and a last
 * one (`offline`) after the first silent poll, and the loop stops on `offline`.
 *
 *   npx -y pnpm@10.34.9 --filter @cluster-pubsub/examples run non-blocking
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisCluster } from '@cluster-pubsub/core';
import { runIfMain, type StartupNodes } from './cluster-from-env';

const STATUS = 'non-blocking:status';

/**
 * Polls a status channel once a second, printing updates and the silent polls.
 *
 * @example
 * ```ts
 * await main([{ host: '127.0.0.1', port: 7000 }]); // Status update: online …
 * ```
 */
export async function main(startupNodes: StartupNodes, log: (line: string) => void = console.log): Promise<void> {
  const rc = new RedisCluster({ startupNodes });
  try {
    const pubsub = rc.pubsub();
    await pubsub.subscribe(STATUS);

    await rc.publish(STATUS, 'online');
    await rc.publish(STATUS, 'busy');

    let lastUpdateSent = false;
    for (;;) {
      // A queued message at once, else the next one within 1000 ms, else null. The first read
      // is the `subscribe` confirmation (the seed's ignore_subscribe_messages=False default).
      const message = await pubsub.getMessage({ timeout: 1000 });
      if (message) {
        if (message.type === 'message') {
          log(`Status update: ${message.data}`);
          if (message.data === 'offline') break;
        }
      } else {
        log('No message received, continuing...');
        if (!lastUpdateSent) {
          lastUpdateSent = true;
          await rc.publish(STATUS, 'offline');
        }
      }
      await sleep(100);
    }

    // timeout 0 (the default) never waits: a queued message, or null at once.
    const started = Date.now();
    const none = await pubsub.getMessage({ timeout: 0 });
    log(`getMessage({ timeout: 0 }) with nothing queued: ${String(none)} after ${elapsedBucket(Date.now() - started)}`);

    await pubsub.close();
  } finally {
    await rc.close();
  }
}

// Rounded, so the output is the same from run to run.
function elapsedBucket(ms: number): string {
  return ms < 50 ? 'less than 50 ms' : `${ms} ms`;
}

runIfMain(module, main);
