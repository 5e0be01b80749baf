/**
 * Not in the seed: the same pub/sub as RxJS streams. `fromChannel` is a cold Observable, so
 * operators shape the messages and completing the pipeline unsubscribes (the last observer of a
 * channel leaving sends UNSUBSCRIBE and closes the idle connection). `firstValueFrom` with
 * `timeout` plays the part of `getMessage({ timeout })`.
 *
 *   npx -y pnpm@10.34.9 --filter @cluster-pubsub/examples run rxjs-pipeline
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  bufferCount,
  defer,
  filter,
  firstValueFrom,
  ignoreElements,
  lastValueFrom,
  map,
  mergeMap,
  of,
  tap,
  takeWhile,
  timeout,
  toArray,
  type OperatorFunction,
} from 'rxjs';
import { RedisCluster, type PubSubMessage } from '@cluster-pubsub/core';
import { runIfMain, type StartupNodes } from './cluster-from-env';

const NEWS = 'rxjs-pipeline:news';
const ALERTS = 'rxjs-pipeline:alerts';

const STORIES = [
  'redis 7 adds sharded pub/sub',
  'ad: buy one get one free',
  'cluster grows to six nodes',
  'rxjs 8 in beta',
  'ad: last chance',
  'node 22 is lts',
  'slots move without a hiccup',
  'quit',
  'never read: the stream completed on quit',
];

/**
 * Runs a `map` / `filter` / `takeWhile` / `bufferCount` pipeline over a channel, then reads single
 * messages with `firstValueFrom(... timeout)`.
 *
 * @example
 * ```ts
 * await main([{ host: '127.0.0.1', port: 7000 }]); // Batch 1: REDIS 7 ADDS SHARDED PUB/SUB | …
 * ```
 */
export async function main(startupNodes: StartupNodes, log: (line: string) => void = console.log): Promise<void> {
  const rc = new RedisCluster({ startupNodes });
  try {
    // Bound creators: usable detached from the client.
    const { fromChannel } = rc;

    // Stories until `quit`, without ads, upper-cased, in pairs; the last batch may be short.
    const batches = await lastValueFrom(
      fromChannel(NEWS, { ignoreSubscribeMessages: false }).pipe(
        whenActive(async () => {
          for (const story of STORIES) await rc.publish(NEWS, story);
        }),
        map((message) => String(message.data)),
        takeWhile((text) => text !== 'quit'),
        filter((text) => !text.startsWith('ad:')),
        map((text) => text.toUpperCase()),
        bufferCount(2),
        tap((batch) => log(`Batch: ${batch.join(' | ')}`)),
        toArray(),
      ),
    );
    log(`The pipeline completed after ${batches.length} batches; ${NEWS} has ${await subscribersAfterLeaving(rc, NEWS)} subscribers`);

    // Like getMessage({ timeout: 300 }) on a quiet channel: null once the time is up.
    const quiet = await firstValueFrom(fromChannel(ALERTS).pipe(timeout({ first: 300, with: () => of(null) })));
    log(`Within 300 ms on ${ALERTS}: ${quiet === null ? 'nothing (null)' : String(quiet.data)}`);

    // And with a message published once the subscription is active.
    const alert = await firstValueFrom(
      fromChannel(ALERTS, { ignoreSubscribeMessages: false }).pipe(
        whenActive(() => rc.publish(ALERTS, 'disk almost full')),
        timeout({ first: 1000, with: () => of(null) }),
      ),
    );
    log(`Within 1000 ms on ${ALERTS}: ${alert === null ? 'nothing (null)' : `${alert.type} "${alert.data}"`}`);
  } finally {
    await rc.close();
  }
}

/**
 * Runs `start` once the server confirmed the subscription (the `subscribe` message that
 * `ignoreSubscribeMessages: false` puts first), so that nothing it publishes can be missed, and
 * passes on the payload messages. If `start` fails, the stream fails with it.
 */
function whenActive(start: () => Promise<unknown>): OperatorFunction<PubSubMessage, PubSubMessage> {
  return mergeMap((message) =>
    message.type === 'subscribe' ? defer(start).pipe(ignoreElements()) : of(message),
  );
}

/**
 * The channel's subscriber count, polled for up to a second until it is 0: completing a stream
 * sends UNSUBSCRIBE at once but does not wait for the node to apply it.
 */
async function subscribersAfterLeaving(rc: RedisCluster, channel: string): Promise<number> {
  const deadline = Date.now() + 1000;
  for (;;) {
    const [[, count] = [channel, -1]] = await rc.pubsubNumsub(channel);
    if (count === 0 || Date.now() > deadline) return count;
    await sleep(20);
  }
}

runIfMain(module, main);
