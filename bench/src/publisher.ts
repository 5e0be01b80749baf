import Redis from 'ioredis';
import calculateSlot from 'cluster-key-slot';
import type { HostPort } from '@cluster-pubsub/testing';
import type { ChannelKind } from './clients/bench-client';
import { slotOwners, toHostPort } from './clients/slot-owners';

const PIPELINE = 500;
const IN_FLIGHT = 4;

/**
 * The common publisher of the drain and throughput workloads, in the bench's process: the
 * subscriber is what is measured, so every client gets the same fast publisher, ioredis
 * pipelines of PUBLISH (or SPUBLISH) on the channel's slot owner.
 */
export class Publisher {
  private constructor(
    private readonly redis: Redis,
    private readonly command: 'publish' | 'spublish',
  ) {}

  static async connect(nodes: readonly HostPort[], channel: string, kind: ChannelKind): Promise<Publisher> {
    const owner = (await slotOwners(nodes))[calculateSlot(channel)];
    if (!owner) throw new Error(`no owner known for the slot of ${channel}`);
    const redis = new Redis({ ...toHostPort(owner), lazyConnect: true });
    await redis.connect();
    return new Publisher(redis, kind === 'classic' ? 'publish' : 'spublish');
  }

  /** Publishes `count` copies of `payload`, at most IN_FLIGHT pipelines at a time. */
  async publish(channel: string, payload: string, count: number): Promise<void> {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < count) {
        const size = Math.min(PIPELINE, count - next);
        next += size;
        const pipeline = this.redis.pipeline();
        for (let i = 0; i < size; i++) pipeline[this.command](channel, payload);
        const replies = (await pipeline.exec()) ?? [];
        const failed = replies.find(([error]) => error);
        if (failed) throw failed[0];
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  }

  close(): void {
    this.redis.disconnect();
  }
}
