import { Cluster } from 'ioredis';
import type { HostPort } from '@cluster-pubsub/testing';
import { withoutBatch, type BenchSession, type ChannelKind, type OnMessage } from './bench-client';

/**
 * ioredis `Cluster` on its defaults: one subscriber connection on a random node, PUBLISH to a
 * random master. Sharded: `shardedSubscribers: true`, one subscriber per master, SSUBSCRIBE and
 * SPUBLISH routed by slot; its multi-channel SSUBSCRIBE must stay within one slot (no batch form).
 */
export async function openIoredisCluster(kind: ChannelKind, nodes: readonly HostPort[]): Promise<BenchSession> {
  const cluster = new Cluster([...nodes], { shardedSubscribers: kind === 'sharded' });
  await new Promise<void>((ready, failed) => {
    cluster.once('ready', ready);
    cluster.once('error', failed);
  });
  const session = new IoredisClusterSession(cluster, kind);
  return kind === 'classic' ? session : withoutBatch(session);
}

class IoredisClusterSession implements BenchSession {
  private readonly handlers = new Map<string, OnMessage>();

  constructor(
    private readonly cluster: Cluster,
    private readonly kind: ChannelKind,
  ) {
    cluster.on(kind === 'classic' ? 'message' : 'smessage', (channel: string, payload: string) =>
      this.handlers.get(channel)?.(payload),
    );
  }

  async listen(channel: string, onMessage: OnMessage): Promise<void> {
    this.handlers.set(channel, onMessage);
    await this.subscribe(channel);
  }

  publish(channel: string, payload: string): Promise<unknown> {
    return this.kind === 'classic' ? this.cluster.publish(channel, payload) : this.cluster.spublish(channel, payload);
  }

  async subscribeEach(channels: string[]): Promise<void> {
    await Promise.all(channels.map((channel) => this.subscribe(channel)));
  }

  async unsubscribeEach(channels: string[]): Promise<void> {
    await Promise.all(
      channels.map((c) => (this.kind === 'classic' ? this.cluster.unsubscribe(c) : this.cluster.sunsubscribe(c))),
    );
  }

  async subscribeBatch(channels: string[]): Promise<void> {
    await this.cluster.subscribe(...channels);
  }

  async unsubscribeBatch(): Promise<void> {
    await this.cluster.unsubscribe();
  }

  async close(): Promise<void> {
    this.cluster.disconnect();
  }

  private subscribe(channel: string): Promise<unknown> {
    return this.kind === 'classic' ? this.cluster.subscribe(channel) : this.cluster.ssubscribe(channel);
  }
}
