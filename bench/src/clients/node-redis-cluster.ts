import { ClientClosedError, createCluster } from 'redis';
import type { HostPort } from '@cluster-pubsub/testing';
import { withoutBatch, type BenchSession, type ChannelKind, type OnMessage } from './bench-client';

type NodeRedisCluster = ReturnType<typeof createCluster>;

/**
 * node-redis 5 cluster: `subscribe` on one random node, PUBLISH to a random node; `sSubscribe` per
 * slot's master, routed by its first channel (so no cross-slot batch form).
 */
export async function openNodeRedisCluster(kind: ChannelKind, nodes: readonly HostPort[]): Promise<BenchSession> {
  const cluster = createCluster({ rootNodes: nodes.map(({ host, port }) => ({ socket: { host, port } })) });
  cluster.on('error', () => undefined);
  await cluster.connect();
  const session = new NodeRedisSession(cluster, kind);
  return kind === 'classic' ? session : withoutBatch(session);
}

class NodeRedisSession implements BenchSession {
  constructor(
    private readonly cluster: NodeRedisCluster,
    private readonly kind: ChannelKind,
  ) {}

  async listen(channel: string, onMessage: OnMessage): Promise<void> {
    await this.subscribe(channel, onMessage);
  }

  publish(channel: string, payload: string): Promise<unknown> {
    return this.kind === 'classic' ? this.cluster.publish(channel, payload) : this.cluster.sPublish(channel, payload);
  }

  async subscribeEach(channels: string[]): Promise<void> {
    await Promise.all(channels.map((channel) => this.subscribe(channel, noop)));
  }

  async unsubscribeEach(channels: string[]): Promise<void> {
    // node-redis 5.12 destroys a pubsub client once its last channel goes, and the calls still
    // queued for it then throw ClientClosedError: those channels are gone all the same.
    await Promise.all(
      channels.map((c) =>
        (this.kind === 'classic' ? this.cluster.unsubscribe(c) : this.cluster.sUnsubscribe(c)).catch(
          ignoreClientClosed,
        ),
      ),
    );
  }

  async subscribeBatch(channels: string[]): Promise<void> {
    await this.cluster.subscribe(channels, noop);
  }

  async unsubscribeBatch(): Promise<void> {
    await this.cluster.unsubscribe();
  }

  async close(): Promise<void> {
    this.cluster.destroy();
  }

  private subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    return this.kind === 'classic'
      ? this.cluster.subscribe(channel, listener)
      : this.cluster.sSubscribe(channel, listener);
  }
}

function noop(): void {}

function ignoreClientClosed(error: unknown): void {
  if (!(error instanceof ClientClosedError)) throw error;
}
