import Redis from 'ioredis';
import type { HostPort } from '@cluster-pubsub/testing';
import type { ClientProcess } from '../client-process';
import type { Publisher } from '../publisher';
import { nowNs, sleep } from '../stats';

/** Drain: how fast a paused subscriber catches up, whether anything was lost, and its peak RSS. */
export interface DrainResult {
  messagesPerSecond: number;
  lost: number;
  peakRssBytes: number;
  /** RSS when the process was paused: the peak minus this is what the backlog cost. */
  rssBeforeBytes: number;
}

/**
 * Workload 2: the client's process listens, is paused with SIGSTOP, `count` messages are published
 * (they wait in the server's output buffer and the socket), then SIGCONT: messages per second from
 * the resume to the last delivery, messages never delivered, and the process's peak RSS meanwhile.
 */
export async function measureDrain(
  client: ClientProcess,
  publisher: Publisher,
  options: { channel: string; payload: string; count: number; nodes: readonly HostPort[] },
): Promise<DrainResult> {
  const { channel, payload, count, nodes } = options;
  const { done } = await client.expect(count, 120_000);
  const rssBeforeBytes = client.resetPeakRss();
  await client.pause();
  let resumedAt: bigint;
  try {
    await publisher.publish(channel, payload, count);
    // A subscriber on another node gets the messages over the cluster bus, after PUBLISH returned.
    await outputBuffersSettled(nodes);
  } finally {
    resumedAt = nowNs();
    client.resume();
  }
  const result = await done;
  const seconds = Number(BigInt(result.lastAtNs) - resumedAt) / 1e9;
  return {
    messagesPerSecond: result.received / seconds,
    lost: count - result.received,
    peakRssBytes: client.peakRss(),
    rssBeforeBytes,
  };
}

/** Waits until the pubsub output buffers of every node stop growing (CLIENT LIST omem). */
async function outputBuffersSettled(nodes: readonly HostPort[]): Promise<void> {
  const admins = nodes.map(({ host, port }) => new Redis({ host, port, lazyConnect: true }));
  try {
    let previous = -1;
    for (let i = 0; i < 100; i++) {
      const lists = await Promise.all(admins.map((a) => a.call('CLIENT', 'LIST', 'TYPE', 'pubsub') as Promise<string>));
      const total = lists.join('\n').split(/\somem=/).slice(1).reduce((sum, s) => sum + parseInt(s, 10), 0);
      if (total === previous) return;
      previous = total;
      await sleep(100);
    }
  } finally {
    for (const admin of admins) admin.disconnect();
  }
}
