import type { ClusterPubSub, RedisCluster } from '@cluster-pubsub/core';
import { shippedCore } from '../shipped-core';
import type { HostPort } from '@cluster-pubsub/testing';
import type { BenchSession, OnMessage } from './bench-client';

/**
 * Our `ClusterPubSub` (the seed's API), read with `for await (const m of ps.listen())`, so every
 * message goes through its queue. `subscribe(...channels)` is the batch form.
 */
export async function openOursClusterPubSub(nodes: readonly HostPort[]): Promise<BenchSession> {
  const { RedisCluster } = shippedCore();
  const rc = new RedisCluster({ startupNodes: [...nodes] });
  return new OursPubSubSession(rc, rc.pubsub({ ignoreSubscribeMessages: true }));
}

class OursPubSubSession implements BenchSession {
  private readonly handlers = new Map<string, OnMessage>();
  private reading = false;

  constructor(
    private readonly rc: RedisCluster,
    private readonly ps: ClusterPubSub,
  ) {}

  async listen(channel: string, onMessage: OnMessage): Promise<void> {
    this.handlers.set(channel, onMessage);
    await this.ps.subscribe(channel);
    // One reader for the whole pubsub, as an application would have: two would split the queue.
    if (this.reading) return;
    this.reading = true;
    void (async () => {
      for await (const m of this.ps.listen()) this.handlers.get(m.channel as string)?.(m.data as string);
    })();
  }

  publish(channel: string, payload: string): Promise<unknown> {
    return this.rc.publish(channel, payload);
  }

  async subscribeEach(channels: string[]): Promise<void> {
    await Promise.all(channels.map((channel) => this.ps.subscribe(channel)));
  }

  async unsubscribeEach(channels: string[]): Promise<void> {
    await Promise.all(channels.map((channel) => this.ps.unsubscribe(channel)));
  }

  subscribeBatch(channels: string[]): Promise<void> {
    return this.ps.subscribe(...channels);
  }

  unsubscribeBatch(): Promise<void> {
    return this.ps.unsubscribe();
  }

  async close(): Promise<void> {
    await this.ps.close();
    await this.rc.close();
  }
}
