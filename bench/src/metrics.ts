import type { BenchClient } from './clients/bench-client';
import type { Workload } from './options';
import type { ChurnSizeResult } from './child/protocol';
import type { ClientRunResult } from './run-client';
import { median } from './stats';
import { CHURN_CAP_MS } from './workloads/churn';

/** One number of the table, read from a client's run. */
export interface Metric {
  readonly id: string;
  readonly workload: Workload | 'memory';
  readonly label: string;
  readonly better: 'lower' | 'higher';
  /** Show ×raw and ×best-peer columns for it. */
  readonly ratios: boolean;
  readonly format: (value: number) => string;
  readonly pick: (run: ClientRunResult) => number | undefined;
}

/** Medians over the runs, per client id and metric id. */
export type Medians = Record<string, Record<string, number | undefined>>;

const us = (v: number): string => (v >= 10_000 ? `${(v / 1000).toFixed(1)} ms` : `${Math.round(v)} µs`);
const rate = (v: number): string => `${Math.round(v / 1000)}k/s`;
const ms = (v: number): string =>
  v === Infinity ? `> ${CHURN_CAP_MS / 1000} s` : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
/** Collector pauses: a tenth of a millisecond shows whether a pass had one. */
const ms1 = (v: number): string => `${v.toFixed(1)} ms`;
const count = (v: number): string => String(Math.round(v));
const mb = (v: number): string => `${Math.round(v / 2 ** 20)} MB`;

function churn(size: number): Metric[] {
  const k = `${size / 1000}k`;
  const pick = (field: keyof ChurnSizeResult) => (run: ClientRunResult) => run.churn?.sizes[size]?.[field];
  return [
    { id: `churn${k}.eachSub`, workload: 'churn', label: `${k} sub, 1 call/ch`, better: 'lower', ratios: true, format: ms, pick: pick('eachSubscribeMs') },
    { id: `churn${k}.eachSubGc`, workload: 'churn', label: 'of it GC', better: 'lower', ratios: false, format: ms1, pick: pick('eachSubscribeGcMs') },
    { id: `churn${k}.eachUnsub`, workload: 'churn', label: `${k} unsub, 1 call/ch`, better: 'lower', ratios: false, format: ms, pick: pick('eachUnsubscribeMs') },
    { id: `churn${k}.batchSub`, workload: 'churn', label: `${k} sub, 1 call`, better: 'lower', ratios: true, format: ms, pick: pick('batchSubscribeMs') },
    { id: `churn${k}.batchSubGc`, workload: 'churn', label: 'of it GC', better: 'lower', ratios: false, format: ms1, pick: pick('batchSubscribeGcMs') },
    { id: `churn${k}.batchUnsub`, workload: 'churn', label: `${k} unsub, 1 call`, better: 'lower', ratios: false, format: ms, pick: pick('batchUnsubscribeMs') },
  ];
}

/** Every metric, table by table. */
export function allMetrics(churnSizes: readonly number[]): Metric[] {
  return [
    { id: 'latency.p50', workload: 'latency', label: 'p50', better: 'lower', ratios: true, format: us, pick: (r) => r.latency?.p50Us },
    { id: 'latency.p99', workload: 'latency', label: 'p99', better: 'lower', ratios: true, format: us, pick: (r) => r.latency?.p99Us },
    { id: 'latency.max', workload: 'latency', label: 'max', better: 'lower', ratios: false, format: us, pick: (r) => r.latency?.maxUs },
    { id: 'latency.lost', workload: 'latency', label: 'lost', better: 'lower', ratios: false, format: count, pick: (r) => r.latency?.lost },
    { id: 'drain.rate', workload: 'drain', label: 'drain', better: 'higher', ratios: true, format: rate, pick: (r) => r.drain?.messagesPerSecond },
    { id: 'drain.lost', workload: 'drain', label: 'lost', better: 'lower', ratios: false, format: count, pick: (r) => r.drain?.lost },
    { id: 'drain.peakRss', workload: 'drain', label: 'peak RSS', better: 'lower', ratios: false, format: mb, pick: (r) => r.drain?.peakRssBytes },
    { id: 'drain.rssGrowth', workload: 'drain', label: 'peak − before', better: 'lower', ratios: false, format: mb, pick: (r) => r.drain && r.drain.peakRssBytes - r.drain.rssBeforeBytes },
    { id: 'throughput.rate', workload: 'throughput', label: 'received', better: 'higher', ratios: true, format: rate, pick: (r) => r.throughput?.messagesPerSecond },
    { id: 'throughput.published', workload: 'throughput', label: 'server took', better: 'higher', ratios: false, format: rate, pick: (r) => r.throughput?.publishedPerSecond },
    { id: 'throughput.lost', workload: 'throughput', label: 'lost', better: 'lower', ratios: false, format: count, pick: (r) => r.throughput?.lost },
    ...churnSizes.flatMap(churn),
    { id: 'memory.bytes', workload: 'memory', label: 'heap B/channel', better: 'lower', ratios: true, format: count, pick: (r) => r.churn?.memory?.bytesPerChannel },
    { id: 'memory.connections', workload: 'memory', label: 'pubsub conns', better: 'lower', ratios: false, format: count, pick: (r) => connections(r, (a, b) => a + b) },
    { id: 'memory.maxPerNode', workload: 'memory', label: 'max per node', better: 'lower', ratios: false, format: count, pick: (r) => connections(r, (a, b) => Math.max(a, b)) },
  ];
}

/** The median of each metric over the runs, per client. */
export function mediansOf(
  clients: readonly BenchClient[],
  runs: Record<string, ClientRunResult[]>,
  metrics: readonly Metric[],
): Medians {
  return Object.fromEntries(
    clients.map((c) => [c.id, Object.fromEntries(metrics.map((m) => [m.id, median((runs[c.id] ?? []).map(m.pick))]))]),
  );
}

function connections(run: ClientRunResult, combine: (a: number, b: number) => number): number | undefined {
  const perNode = run.churn?.memory?.connectionsPerNode;
  return perNode ? Object.values(perNode).reduce(combine, 0) : undefined;
}
