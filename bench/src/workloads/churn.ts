import type { HostPort } from '@cluster-pubsub/testing';
import type { BenchSession } from '../clients/bench-client';
import type { ChurnResult, ChurnSizeResult } from '../child/protocol';
import { GcLog } from './gc-log';
import { randomizeCollectorPhase } from './gc-phase';
import { MemoryProbe } from './memory';

/**
 * A pass slower than this is abandoned and shown as "> 30 s" (ioredis `shardedSubscribers` is
 * quadratic in the number of channels); the rest of the churn is then skipped, and the bench
 * throws the client's process away.
 */
export const CHURN_CAP_MS = 30_000;

/**
 * Workload 4, inside the client's process: for each size, N channels spread over all slots,
 * subscribed one call per channel and then unsubscribed the same way, then (where the API has a
 * batch form) in one call and unsubscribed in one call; each timed until the server confirmed all.
 * The one-call-per-channel pass at `memoryChannels` also weighs the subscriptions (workload 5).
 */
export async function measureChurn(
  session: BenchSession,
  options: { sizes: number[]; memoryChannels: number; nodes: readonly HostPort[] },
): Promise<ChurnResult> {
  const { sizes, memoryChannels, nodes } = options;
  const result: ChurnResult = { sizes: {} };
  const gc = GcLog.start();
  try {
    await warmUp(session, Math.min(...sizes));
    for (const size of sizes) {
      const passes: ChurnSizeResult[] = [];
      for (let repeat = 0; repeat < repeatsOf(size); repeat++) {
        const channels = names(size, repeat === 0 ? 'churn' : `churn${repeat}`);
        const pass: ChurnSizeResult = { eachSubscribeMs: NaN, eachUnsubscribeMs: NaN };
        passes.push(pass);
        try {
          const probe = size === memoryChannels && repeat === 0 ? MemoryProbe.start(nodes) : undefined;
          await timed(pass, 'eachSubscribeMs', () => session.subscribeEach(channels), gc);
          await probe?.loaded(size);
          await timed(pass, 'eachUnsubscribeMs', () => session.unsubscribeEach(channels));
          if (probe) result.memory = probe.result();
          const { subscribeBatch, unsubscribeBatch } = session;
          if (subscribeBatch && unsubscribeBatch) {
            await timed(pass, 'batchSubscribeMs', () => subscribeBatch.call(session, channels), gc);
            await timed(pass, 'batchUnsubscribeMs', () => unsubscribeBatch.call(session));
          }
        } finally {
          result.sizes[size] = medianPass(passes);
        }
      }
    }
    if (memoryChannels > 0 && !sizes.includes(memoryChannels)) {
      const channels = names(memoryChannels);
      const probe = MemoryProbe.start(nodes);
      await session.subscribeEach(channels);
      await probe.loaded(memoryChannels);
      await session.unsubscribeEach(channels);
      result.memory = probe.result();
    }
  } catch (error) {
    if (!(error instanceof CapReached)) throw error;
  } finally {
    gc.stop();
  }
  return result;
}

class CapReached extends Error {}

/**
 * Timed passes per size, of which the median is kept: five up to 10,000 channels, one above.
 * One pass alone measured V8's collector as much as the client: with `--trace-gc`, whether the
 * process's first mark-compact fell into the timed pass decided a run (19 of 50 ms in one), and
 * where it falls depends on how much earlier passes left behind, differently for every client.
 */
export const CHURN_REPEATS = 5;

function repeatsOf(size: number): number {
  return size <= 10_000 ? CHURN_REPEATS : 1;
}

/** Field by field, the median of the passes so far (a pass cut short counts as Infinity). */
function medianPass(passes: readonly ChurnSizeResult[]): ChurnSizeResult {
  const field = (key: keyof ChurnSizeResult): number | undefined => {
    const values = passes.map((p) => p[key]).filter((v): v is number => v !== undefined && !Number.isNaN(v));
    if (values.length === 0) return undefined;
    values.sort((a, b) => a - b);
    return values[(values.length - 1) >> 1];
  };
  const median: ChurnSizeResult = { eachSubscribeMs: field('eachSubscribeMs') ?? NaN, eachUnsubscribeMs: field('eachUnsubscribeMs') ?? NaN };
  for (const key of ['eachSubscribeGcMs', 'batchSubscribeMs', 'batchSubscribeGcMs', 'batchUnsubscribeMs'] as const) {
    const value = field(key);
    if (value !== undefined) median[key] = value;
  }
  return median;
}

/** Untimed passes of every form before the timed ones (see warmUp). */
const WARMUP_PASSES = 3;

/**
 * Untimed passes of every form before the timed ones, as the latency workload drops its first
 * second: without them the first timed pass (one call per channel) ran on cold code and the
 * batch pass after it on warm code, comparing JIT warm-up as much as clients. V8 needs about
 * three passes of 10,000 before a pass takes what the next ones take.
 */
async function warmUp(session: BenchSession, size: number): Promise<void> {
  for (let pass = 0; pass < WARMUP_PASSES; pass++) {
    const channels = names(size, `warmup${pass}`);
    await session.subscribeEach(channels);
    await session.unsubscribeEach(channels);
    const { subscribeBatch, unsubscribeBatch } = session;
    if (subscribeBatch && unsubscribeBatch) {
      await subscribeBatch.call(session, channels);
      await unsubscribeBatch.call(session);
    }
  }
}

/** Names whose slots cover the whole slot range (no `{…}`, so CRC16 spreads them). */
function names(count: number, pass = 'churn'): string[] {
  return Array.from({ length: count }, (_, i) => `bench:${pass}:${count}:${i}`);
}

/** The field that keeps the collector's share of a timed subscribe pass. */
const GC_FIELD = { eachSubscribeMs: 'eachSubscribeGcMs', batchSubscribeMs: 'batchSubscribeGcMs' } as const;

/**
 * Times `operation` into `pass[field]`; past the cap it records Infinity and throws CapReached.
 * With `gc`, the collector's pauses inside the pass go into the field's GC_FIELD. Each pass
 * starts at a random point of the collector's cycle (see randomizeCollectorPhase).
 */
async function timed(
  pass: ChurnSizeResult,
  field: 'eachSubscribeMs' | 'eachUnsubscribeMs' | 'batchSubscribeMs' | 'batchUnsubscribeMs',
  operation: () => Promise<void>,
  gc?: GcLog,
): Promise<void> {
  randomizeCollectorPhase();
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<'cap'>((resolve) => (timer = setTimeout(() => resolve('cap'), CHURN_CAP_MS)));
  const outcome = await Promise.race([operation(), cap]).finally(() => clearTimeout(timer));
  if (outcome === 'cap') {
    pass[field] = Infinity;
    throw new CapReached();
  }
  const end = performance.now();
  pass[field] = end - start;
  if (gc && (field === 'eachSubscribeMs' || field === 'batchSubscribeMs')) pass[GC_FIELD[field]] = await gc.within(start, end);
}
