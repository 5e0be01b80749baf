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
  /** The `listen` streams, by channel. */
  private readonly subscriptions = new Map<string, Subscription>();
  /**
   * The churn streams, in the order subscribed: an array slot (8 B) is the least a caller must
   * keep to unsubscribe later, and what the memory workload should weigh besides our own objects.
   */
  private churn: Subscription[] = [];
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
    this.churn = channels.map((channel) => this.from(channel).subscribe(noop));
    await this.rc.whenSettled();
  }

  /** Unsubscribes what `subscribeEach` subscribed (the workload passes the same channels back). */
  async unsubscribeEach(channels: string[]): Promise<void> {
    if (channels.length !== this.churn.length) throw new Error('unsubscribeEach expects the channels of subscribeEach');
    for (const subscription of this.churn) subscription.unsubscribe();
    this.churn = [];
    await this.rc.whenSettled();
  }

  async close(): Promise<void> {
    for (const subscription of [...this.subscriptions.values(), ...this.churn]) subscription.unsubscribe();
    this.subscriptions.clear();
    this.churn = [];
    await this.rc.close();
  }
}

function noop(): void {}
