import type { ClientProcess } from '../client-process';
import type { Publisher } from '../publisher';
import { nowNs } from '../stats';

/** Live throughput: the subscriber keeps up with a publisher going as fast as the server lets it. */
export interface ThroughputResult {
  messagesPerSecond: number;
  /** How fast the server took the PUBLISH commands: the ceiling the subscriber is held to. */
  publishedPerSecond: number;
  lost: number;
}

/**
 * Workload 3: `count` messages published as fast as possible from the bench's process (pipelines
 * on the slot owner) while the client's process receives them: messages per second from the first
 * publish to the last delivery.
 */
export async function measureThroughput(
  client: ClientProcess,
  publisher: Publisher,
  options: { channel: string; payload: string; count: number },
): Promise<ThroughputResult> {
  const { channel, payload, count } = options;
  const { done } = await client.expect(count, 120_000);
  const start = nowNs();
  await publisher.publish(channel, payload, count);
  const published = nowNs();
  const result = await done;
  return {
    messagesPerSecond: result.received / (Number(BigInt(result.lastAtNs) - start) / 1e9),
    publishedPerSecond: count / (Number(published - start) / 1e9),
    lost: count - result.received,
  };
}
