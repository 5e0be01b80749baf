import type { PubSubMessage, RedisCluster } from '@cluster-pubsub/core';
import type { Observable, Subscription } from 'rxjs';
import { shippedCore } from '../shipped-core';
import type { HostPort } from '@cluster-pubsub/testing';
import type { BenchSession, ChannelKind, OnMessage } from './bench-client';

/**
 * Our cold streams: one `fromChannel` (or `fromShardChannel`) per channel, the natural style.
 * There is no batch form: subscribing N streams in a loop is the one-call-per-channel case, and
 * `whenSettled()` says when every one of them is confirmed.
 */
export async function openOursStreams(kind: ChannelKind, nodes: readonly HostPort[]): Promise<BenchSession> {
  const { RedisCluster } = shippedCore();
  return new OursStreamsSession(new RedisCluster({ startupNodes: [...nodes] }), kind);
}

class OursStreamsSession implements BenchSession {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly from: (channel: string, options?: { ignoreSubscribeMessages?: boolean }) => Observable<PubSubMessage>;

  constructor(
    private readonly rc: RedisCluster,
    private readonly kind: ChannelKind,
  ) {
    this.from = kind === 'classic' ? rc.fromChannel : rc.fromShardChannel;
  }

  listen(channel: string, onMessage: OnMessage): Promise<void> {
    return new Promise((confirmed, failed) => {
      const subscription = this.from(channel, { ignoreSubscribeMessages: false }).subscribe({
        next: (m) => (typeof m.data === 'number' ? confirmed() : onMessage(m.data as string)),
        error: failed,
      });
      this.subscriptions.set(channel, subscription);
    });
  }

  publish(channel: string, payload: string): Promise<unknown> {
    return this.kind === 'classic' ? this.rc.publish(channel, payload) : this.rc.spublish(channel, payload);
  }

  async subscribeEach(channels: string[]): Promise<void> {
    for (const channel of channels) this.subscriptions.set(channel, this.from(channel).subscribe(noop));
    await this.rc.whenSettled();
  }

  async unsubscribeEach(channels: string[]): Promise<void> {
    for (const channel of channels) {
      this.subscriptions.get(channel)?.unsubscribe();
      this.subscriptions.delete(channel);
    }
    await this.rc.whenSettled();
  }

  async close(): Promise<void> {
    for (const subscription of this.subscriptions.values()) subscription.unsubscribe();
    this.subscriptions.clear();
    await this.rc.close();
  }
}

function noop(): void {}
