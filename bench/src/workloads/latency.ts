import type { BenchSession } from '../clients/bench-client';
import type { LatencyResult } from '../child/protocol';
import { quantile, sleep } from '../stats';
import type { LatencyTrace } from './latency-trace';

/** Samples taken in the first part of the run are dropped: connections and JIT warm up. */
const WARMUP_MS = 1000;
/** How long to wait for the last messages after the last publish. */
const GRACE_MS = 300;

/**
 * Workload 1, inside the client's process: publish at a steady rate through the client's own
 * publish, with the send time (process.hrtime) in the payload, and time each delivery.
 */
export async function measureLatency(
  session: BenchSession,
  options: { channel: string; rate: number; durationMs: number; payloadBytes: number },
  trace?: LatencyTrace,
): Promise<LatencyResult> {
  const { channel, rate, durationMs, payloadBytes } = options;
  const origin = process.hrtime.bigint();
  const sinceOrigin = (): number => Number(process.hrtime.bigint() - origin);
  const samplesNs: number[] = [];
  let countedFrom = Infinity;
  await session.listen(channel, (payload) => {
    const sentNs = parseInt(payload, 10);
    if (sentNs < countedFrom) return;
    const latencyNs = sinceOrigin() - sentNs;
    samplesNs.push(latencyNs);
    trace?.sample(latencyNs);
  });

  let sent = 0;
  let counted = 0;
  const start = performance.now();
  await new Promise<void>((done) => {
    // A 1 ms timer publishes whatever is due: about 2 messages a tick at 2,000/s, no bursts.
    const tick = (): void => {
      const elapsed = performance.now() - start;
      if (elapsed >= durationMs + WARMUP_MS) return done();
      if (countedFrom === Infinity && elapsed >= WARMUP_MS) countedFrom = sinceOrigin();
      const due = Math.floor((elapsed * rate) / 1000);
      for (; sent < due; sent++) {
        const stamp = String(sinceOrigin());
        if (countedFrom !== Infinity) counted++;
        void session.publish(channel, stamp.padEnd(payloadBytes, '.'));
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  await sleep(GRACE_MS);
  trace?.write();

  const sorted = samplesNs.sort((a, b) => a - b);
  return {
    p50Us: quantile(sorted, 0.5) / 1000,
    p99Us: quantile(sorted, 0.99) / 1000,
    maxUs: (sorted[sorted.length - 1] ?? NaN) / 1000,
    samples: sorted.length,
    lost: Math.max(0, counted - sorted.length),
  };
}
