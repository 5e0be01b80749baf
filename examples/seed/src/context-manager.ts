/**
 * Seed example "Context Manager Usage": Python's `with rc.pubsub() as pubsub:` is `await using`
 * here. Leaving the block, by `break`, `return` or an exception, closes the pub/sub object:
 * its subscriptions end and the node connection they used closes. A stand-in publisher sends
 * the commands, `quit` last but one; the command after `quit` is never read.
 *
 *   npx -y pnpm@10.34.9 --filter @cluster-pubsub/examples run context-manager
 */
import { RedisCluster } from '@cluster-pubsub/core';
import { runIfMain, type StartupNodes } from './cluster-from-env';

const COMMANDS = 'context-manager:commands';

/**
 * Reads commands until `quit` inside an `await using` block, then shows that nothing is left open.
 *
 * @example
 * ```ts
 * await main([{ host: '127.0.0.1', port: 7000 }]); // Received command: status …
 * ```
 */
export async function main(startupNodes: StartupNodes, log: (line: string) => void = console.log): Promise<void> {
  // The client is disposed of the same way, when `main` returns or throws.
  await using rc = new RedisCluster({ startupNodes });

  // Use context manager for automatic cleanup
  {
    await using pubsub = rc.pubsub();
    await pubsub.subscribe(COMMANDS);

    for (const command of ['status', 'reload', 'quit', 'shutdown']) await rc.publish(COMMANDS, command);

    for await (const message of pubsub.listen()) {
      if (message.type === 'message') {
        const command = message.data;
        log(`Received command: ${command}`);

        if (command === 'quit') break;
      }
    }
  }
  // Connection automatically closed when exiting the block
  const [[, subscribers] = [COMMANDS, -1]] = await rc.pubsubNumsub(COMMANDS);
  log(`After the block: ${subscribers} subscribers to ${COMMANDS}, ${rc.subscriberConnections.length} subscriber connections open`);
}

runIfMain(module, main);
