import { clusterNodesFromEnv } from '@cluster-pubsub/testing';
import { shippedCore } from '../shipped-core';
import { median } from '../stats';
import { randomizeCollectorPhase } from '../workloads/gc-phase';

/** What one probe process reports on its last line of stdout, as JSON. */
export interface GarbagePassResult {
  /** Extra bytes made per subscribe. */
  readonly extraBytes: number;
  /** Whether they were kept alive until the pass was confirmed, as a subscription is. */
  readonly kept: boolean;
  /** Median 10,000-channel `fromChannel` pass, subscribe until confirmed (ms). */
  readonly passMs: number;
  /** Median time to make the extra bytes alone (as garbage), 10,000 times, at a random phase (ms). */
  readonly madeAloneMs: number;
  /** Elements of the last extra array (a check that it was made, and the use that keeps it). */
  readonly extraElements: number;
}

const CHANNELS = 10_000;
const UNTIMED = 8;

/**
 * One process of the garbage probe (see garbage-cost.ts): 10,000 `fromChannel` subscribes per
 * pass, as the churn workload's one-call-per-channel pass, each followed by `extraBytes` in one
 * array that nothing keeps (garbage) or, with GARBAGE_KEEP=1, that is kept until the pass was
 * confirmed (as a subscription's own objects are), each pass at a random point of the
 * collector's cycle.
 * Runs in plain node, built like the client child, against REDIS_CLUSTER_NODES.
 */
async function main(): Promise<void> {
  const extraBytes = Number(process.env.GARBAGE_BYTES ?? 0);
  const passes = Number(process.env.GARBAGE_PASSES ?? 60);
  const kept = process.env.GARBAGE_KEEP === '1';
  const keep: number[][] = [];
  // An array of n small integers is 16 B of header and 8 B an element.
  const elements = Math.max(0, Math.round((extraBytes - 16) / 8));
  let sink: number[] | undefined;
  const make = (i: number, keepIt: boolean): void => {
    if (elements === 0) return;
    sink = new Array<number>(elements).fill(i);
    if (keepIt) keep.push(sink);
  };

  const { RedisCluster } = shippedCore();
  const rc = new RedisCluster({ startupNodes: clusterNodesFromEnv() });
  const noop = (): void => undefined;
  const passMs: number[] = [];
  const aloneMs: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const channels = Array.from({ length: CHANNELS }, (_, i) => `bench:garbage${pass}:${i}`);
    randomizeCollectorPhase();
    const start = performance.now();
    const subscriptions = channels.map((channel, i) => {
      const subscription = rc.fromChannel(channel).subscribe(noop);
      make(i, kept);
      return subscription;
    });
    await rc.whenSettled();
    const settled = performance.now();
    keep.length = 0;
    for (const subscription of subscriptions) subscription.unsubscribe();
    await rc.whenSettled();
    randomizeCollectorPhase();
    const aloneStart = performance.now();
    // The bytes alone, never kept: what making them costs, without any pass to copy.
    for (let i = 0; i < CHANNELS; i++) make(i, false);
    const aloneEnd = performance.now();
    if (pass >= UNTIMED) {
      passMs.push(settled - start);
      aloneMs.push(aloneEnd - aloneStart);
    }
  }
  await rc.close();
  const result: GarbagePassResult = {
    extraBytes,
    kept,
    passMs: median(passMs) ?? NaN,
    madeAloneMs: median(aloneMs) ?? NaN,
    extraElements: sink?.length ?? 0,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
