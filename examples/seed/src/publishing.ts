/**
 * Seed example "Publishing Messages": publishing goes through the client, not the pub/sub object,
 * and returns the number of subscribers that received the message. So that the counts mean
 * something, this port first starts two subscribers, each with its own `RedisCluster` as if in
 * its own process, then publishes and shows what each one received.
 *
 *   npx -y pnpm@10.34.9 --filter @cluster-pubsub/examples run publishing
 */
import { firstValueFrom } from 'rxjs';
import { RedisCluster, type ClusterPubSub } from '@cluster-pubsub/core';
import { runIfMain, type StartupNodes } from './cluster-from-env';

const NEWS = 'publishing:news';
const UPDATES = 'publishing:updates';
const ALERTS = 'publishing:alerts';
const NOTIFICATIONS = 'publishing:notifications';
const NOBODY = 'publishing:nobody-listens';

/**
 * Publishes the seed's four messages to two subscribers and prints each receiver count.
 *
 * @example
 * ```ts
 * await main([{ host: '127.0.0.1', port: 7000 }]); // Message delivered to 2 subscribers
 * ```
 */
export async function main(startupNodes: StartupNodes, log: (line: string) => void = console.log): Promise<void> {
  const first = new RedisCluster({ startupNodes });
  const second = new RedisCluster({ startupNodes });
  // Publishing is done through the main client, not pub/sub interface
  const rc = new RedisCluster({ startupNodes });
  try {
    const firstInbox = first.pubsub({ ignoreSubscribeMessages: true });
    await firstInbox.subscribe(NEWS, UPDATES, ALERTS, NOTIFICATIONS);
    const secondInbox = second.pubsub({ ignoreSubscribeMessages: true });
    await secondInbox.subscribe(NOTIFICATIONS);
    // A second observer in the first client shares its subscription: the server sees one subscriber.
    const firstStream = firstValueFrom(first.fromChannel(NOTIFICATIONS));

    // Publish to channels
    for (const [channel, text] of [
      [NEWS, 'Breaking: Redis Cluster is awesome!'],
      [UPDATES, 'System maintenance scheduled for tonight'],
      [ALERTS, 'High memory usage detected'],
    ] as const) {
      log(`Published to ${channel}: ${await rc.publish(channel, text)} receiver(s)`);
    }

    // Publishing returns number of subscribers that received the message
    const subscribers = await rc.publish(NOTIFICATIONS, 'Hello subscribers!');
    log(`Message delivered to ${subscribers} subscribers`);
    log(`Published to ${NOBODY}: ${await rc.publish(NOBODY, 'Anyone there?')} receiver(s)`);

    log(`First subscriber received: ${(await receive(firstInbox, 4)).join(' | ')}`);
    log(`Its second observer received: ${(await firstStream).data}`);
    log(`Second subscriber received: ${(await receive(secondInbox, 1)).join(' | ')}`);

    await Promise.all([firstInbox.close(), secondInbox.close()]);
  } finally {
    await Promise.all([rc.close(), first.close(), second.close()]);
  }
}

/** The next `count` messages as `channel=data`, fewer if one takes over a second to come. */
async function receive(pubsub: ClusterPubSub, count: number): Promise<string[]> {
  const seen: string[] = [];
  while (seen.length < count) {
    const message = await pubsub.getMessage({ timeout: 1000 });
    if (message === null) break;
    seen.push(`${message.channel}=${message.data}`);
  }
  return seen;
}

runIfMain(module, main);
