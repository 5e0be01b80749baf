/**
 * Seed example "Cluster-Specific Considerations": where subscriptions live in a cluster, how
 * patterns and publishing reach across it, and the monitoring calls, which ask every node and
 * merge the answers. Adds sharded pub/sub (Redis 7), which keeps a channel's traffic inside the
 * shard that owns its slot.
 *
 *   npx -y pnpm@10.34.9 --filter @cluster-pubsub/examples run cluster-considerations
 */
import { keySlot, RedisCluster, type ClusterPubSub, type PubSubMessage } from '@cluster-pubsub/core';
import { runIfMain, type StartupNodes } from './cluster-from-env';

const PREFIX = 'cluster-considerations:';
const GLOBAL = `${PREFIX}global-channel`;
const NODES = `${PREFIX}node-*`;
const ORDERS = `${PREFIX}orders:{42}`;

/**
 * Subscribes a channel, a pattern and a sharded channel, publishes to each, and prints the
 * introspection answers.
 *
 * @example
 * ```ts
 * await main([{ host: '127.0.0.1', port: 7000 }]); // Active channels: ["cluster-considerations:global-channel"]
 * ```
 */
export async function main(startupNodes: StartupNodes, log: (line: string) => void = console.log): Promise<void> {
  const rc = new RedisCluster({ startupNodes });
  try {
    // Pub/sub in cluster environment considerations
    const pubsub = rc.pubsub({ ignoreSubscribeMessages: true });

    // Channels are bound to specific nodes based on channel name hash
    // All subscribers to a channel connect to the same node
    await pubsub.subscribe(GLOBAL);
    log(`${GLOBAL} is in slot ${keySlot(GLOBAL)}; subscribed on ${rc.subscriberConnections.join(', ')}`);

    // Pattern subscriptions work across the cluster
    await pubsub.psubscribe(NODES);

    // A classic publish is broadcast over the cluster bus: it reaches the pattern's node too.
    // The count is of receivers on the channel's own node, where its subscribers sit.
    log(`Published to ${GLOBAL}: ${await rc.publish(GLOBAL, 'Message from any node')} receiver(s)`);
    await rc.publish(`${PREFIX}node-7`, 'Hello from node 7');
    for (const message of await receive(pubsub, 2)) log(describe(message));

    // Get pub/sub info for monitoring (narrowed to this example's channels: others may be active)
    const channels = await rc.pubsubChannels(`${PREFIX}*`);
    log(`Active channels: ${JSON.stringify(channels)}`);

    const numSubscribers = await rc.pubsubNumsub(GLOBAL);
    log(`Subscribers to global-channel: ${JSON.stringify(numSubscribers)}`);
    log(`Pattern subscriptions, summed over every node: ${await rc.pubsubNumpat()}`);

    // Sharded pub/sub: subscribed and published on the slot's master only, no cluster-bus broadcast.
    await pubsub.ssubscribe(ORDERS);
    log(`Sharded publish to ${ORDERS}: ${await rc.spublish(ORDERS, 'order 42 paid')} receiver(s)`);
    for (const message of await receive(pubsub, 1)) log(describe(message));
    log(`Active shard channels: ${JSON.stringify(await rc.pubsubShardchannels(`${PREFIX}*`))}`);
    log(`Subscribers to ${ORDERS}: ${JSON.stringify(await rc.pubsubShardnumsub(ORDERS))}`);

    await pubsub.close();
    log(`After close: ${JSON.stringify(await rc.pubsubNumsub(GLOBAL))}, ${rc.subscriberConnections.length} subscriber connections open`);
  } finally {
    await rc.close();
  }
}

/** The next `count` messages, sorted: they come from different nodes, in no fixed order. */
async function receive(pubsub: ClusterPubSub, count: number): Promise<PubSubMessage[]> {
  const received: PubSubMessage[] = [];
  while (received.length < count) {
    const message = await pubsub.getMessage({ timeout: 1000 });
    if (message === null) break;
    received.push(message);
  }
  return received.sort((a, b) => a.type.localeCompare(b.type));
}

function describe(message: PubSubMessage): string {
  const via = message.pattern === null ? '' : ` (pattern ${message.pattern})`;
  return `Received ${message.type} on ${message.channel}${via}: ${message.data}`;
}

runIfMain(module, main);
