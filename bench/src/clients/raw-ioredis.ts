import Redis from 'ioredis';
import calculateSlot from 'cluster-key-slot';
import type { HostPort } from '@cluster-pubsub/testing';
import { withoutBatch, type BenchSession, type ChannelKind, type OnMessage } from './bench-client';
import { slotOwners, toHostPort } from './slot-owners';

/**
 * The floor: plain ioredis `Redis` connections, a subscriber and a publisher on the master that
 * owns the channel's slot (what a hand-written, slot-aware client would do). Churn groups the
 * channels by owner; the batch form is one SUBSCRIBE per owner, for classic channels only (a
 * multi-channel SSUBSCRIBE must stay within one slot).
 */
export async function openRawIoredis(kind: ChannelKind, nodes: readonly HostPort[]): Promise<BenchSession> {
  const session = new RawSession(kind, await slotOwners(nodes));
  return kind === 'classic' ? session : withoutBatch(session);
}

class RawSession implements BenchSession {
  private readonly subscribers = new Map<string, Redis>();
  private readonly publishers = new Map<string, Redis>();
  private readonly handlers = new Map<string, OnMessage>();

  constructor(
    private readonly kind: ChannelKind,
    private readonly owners: string[],
  ) {}

  async listen(channel: string, onMessage: OnMessage): Promise<void> {
    this.handlers.set(channel, onMessage);
    await this.subscribe(this.subscriberFor(channel), [channel]);
  }

  publish(channel: string, payload: string): Promise<unknown> {
    const owner = this.ownerOf(channel);
    const redis = this.publishers.get(owner) ?? this.connect(owner, this.publishers);
    return this.kind === 'classic' ? redis.publish(channel, payload) : redis.spublish(channel, payload);
  }

  async subscribeEach(channels: string[]): Promise<void> {
    await Promise.all(channels.map((c) => this.subscribe(this.subscriberFor(c), [c])));
  }

  async unsubscribeEach(channels: string[]): Promise<void> {
    await Promise.all(channels.map((c) => this.unsubscribe(this.subscriberFor(c), [c])));
  }

  async subscribeBatch(channels: string[]): Promise<void> {
    const byOwner = new Map<Redis, string[]>();
    for (const channel of channels) {
      const redis = this.subscriberFor(channel);
      const group = byOwner.get(redis) ?? [];
      group.push(channel);
      byOwner.set(redis, group);
    }
    await Promise.all([...byOwner].map(([redis, group]) => this.subscribe(redis, group)));
  }

  async unsubscribeBatch(): Promise<void> {
    await Promise.all([...this.subscribers.values()].map((redis) => this.unsubscribe(redis, [])));
  }

  async close(): Promise<void> {
    for (const redis of [...this.subscribers.values(), ...this.publishers.values()]) redis.disconnect();
  }

  private subscribe(redis: Redis, channels: string[]): Promise<unknown> {
    return this.kind === 'classic' ? redis.subscribe(...channels) : redis.ssubscribe(...channels);
  }

  private unsubscribe(redis: Redis, channels: string[]): Promise<unknown> {
    return this.kind === 'classic' ? redis.unsubscribe(...channels) : redis.sunsubscribe(...channels);
  }

  private subscriberFor(channel: string): Redis {
    const owner = this.ownerOf(channel);
    const existing = this.subscribers.get(owner);
    if (existing) return existing;
    const redis = this.connect(owner, this.subscribers);
    redis.on(this.kind === 'classic' ? 'message' : 'smessage', (channel: string, payload: string) =>
      this.handlers.get(channel)?.(payload),
    );
    return redis;
  }

  private connect(owner: string, into: Map<string, Redis>): Redis {
    const redis = new Redis(toHostPort(owner));
    into.set(owner, redis);
    return redis;
  }

  private ownerOf(channel: string): string {
    return this.owners[calculateSlot(channel)] ?? '';
  }
}
