import type { BenchClient } from './clients/bench-client';
import { mediansOf, type Medians, type Metric } from './metrics';
import type { ClientRunResult } from './run-client';

/** One target of issue 5, checked against this run's medians (`pass` undefined: not measured). */
export interface TargetCheck {
  target: string;
  pass: boolean | undefined;
  detail: string;
  /** In how many of the runs that measured it the target was met, each run on its own figures. */
  runs?: { met: number; of: number };
}

/** Checks the targets; never asserted in tests, only reported. */
export function checkTargets(clients: readonly BenchClient[], m: Medians): TargetCheck[] {
  const v = (id: string, metric: string): number | undefined => m[id]?.[metric];
  const checks: TargetCheck[] = [];
  const add = (target: string, values: (number | undefined)[], pass: (...xs: number[]) => boolean, detail: (...xs: number[]) => string): void => {
    if (values.some((x) => x === undefined)) return void checks.push({ target, pass: undefined, detail: 'not measured' });
    const xs = values as number[];
    checks.push({ target, pass: pass(...xs), detail: detail(...xs) });
  };
  const ours = clients.filter((c) => c.family === 'ours' && c.kind === 'classic').map((c) => c.id);
  const us = (x: number): string => `${Math.round(x)} µs`;

  for (const id of ours) {
    for (const q of ['p50', 'p99']) {
      add(`latency ${q} of ${id} within 10 % of raw ioredis`, [v(id, `latency.${q}`), v('raw-ioredis', `latency.${q}`)],
        (a, b) => a <= b * 1.1, (a, b) => `${us(a)} vs ${us(b)} (${(a / b).toFixed(3)}×)`);
    }
    for (const peer of ['ioredis-Cluster', 'node-redis-subscribe']) {
      add(`latency p50 of ${id} ≥ 10× lower than ${peer}`, [v(id, 'latency.p50'), v(peer, 'latency.p50')],
        (a, b) => b >= a * 10, (a, b) => `${us(a)} vs ${us(b)} (${(b / a).toFixed(1)}× lower)`);
    }
  }
  const drains: [string, string, string][] = [
    ...ours.map((id): [string, string, string] => [id, 'raw-ioredis', 'node-redis-subscribe']),
    ['ours-fromShardChannel', 'raw-ioredis-sharded', 'node-redis-sSubscribe'],
  ];
  for (const [id, raw, nodeRedis] of drains) {
    add(`drain of ${id} ≥ 0.95× ${raw}`, [v(id, 'drain.rate'), v(raw, 'drain.rate')],
      (a, b) => a >= 0.95 * b, (a, b) => `${k(a)} vs ${k(b)} (${(a / b).toFixed(3)}×)`);
    add(`drain of ${id} passes ${nodeRedis} (aim)`, [v(id, 'drain.rate'), v(nodeRedis, 'drain.rate')],
      (a, b) => a >= b, (a, b) => `${k(a)} vs ${k(b)} (${(a / b).toFixed(2)}×)`);
  }
  const batches = clients.filter((c) => c.family === 'peer' && c.kind === 'classic').map((c) => v(c.id, 'churn10k.batchSub'));
  const bestBatch = batches.every((b) => b === undefined) ? undefined : Math.min(...batches.filter((b): b is number => b !== undefined));
  add('10k fromChannel, one per channel, as fast as the best peer batch call', [v('ours-fromChannel', 'churn10k.eachSub'), bestBatch],
    (a, b) => a <= b, (a, b) => `${Math.round(a)} ms vs ${Math.round(b)} ms (${(a / b).toFixed(1)}×)`);
  const classic = clients.filter((c) => c.kind === 'classic').map((c) => v(c.id, 'throughput.rate'));
  const ceiling = classic.every((x) => x === undefined) ? undefined : Math.max(...classic.filter((x): x is number => x !== undefined));
  add('sharded live throughput (ours) ≥ 3× the classic ceiling', [v('ours-fromShardChannel', 'throughput.rate'), ceiling],
    (a, b) => a >= 3 * b, (a, b) => `${k(a)} vs ${k(b)} (${(a / b).toFixed(2)}×)`);
  // Not a target of ours: whether the server itself reaches 3× here, with subscribers that cost
  // next to nothing (bare sockets). Where it does not, no client can.
  add('reference: the server itself, bare socket subscribers, sharded ≥ 3× classic', [v('bare-socket-sharded', 'throughput.rate'), v('bare-socket', 'throughput.rate')],
    (a, b) => a >= 3 * b, (a, b) => `${k(a)} vs ${k(b)} (${(a / b).toFixed(2)}×)`);
  for (const [id, raw] of [...ours.map((id) => [id, 'raw-ioredis']), ['ours-fromShardChannel', 'raw-ioredis-sharded']] as const) {
    add(`memory per channel of ${id} < raw + 500 B`, [v(id, 'memory.bytes'), v(raw, 'memory.bytes')],
      (a, b) => a - b < 500, (a, b) => `${Math.round(a)} B vs ${Math.round(b)} B (+${Math.round(a - b)} B)`);
  }
  return checks;
}

/**
 * Adds to each check how many runs met it on their own figures: figures move by ±10–30 % between
 * runs here, so "met on the medians" alone hides whether it was met in every run or in one.
 */
export function withRunCounts(
  checks: readonly TargetCheck[],
  clients: readonly BenchClient[],
  runs: Record<string, ClientRunResult[]>,
  metrics: readonly Metric[],
): TargetCheck[] {
  const count = Math.max(0, ...clients.map((c) => runs[c.id]?.length ?? 0));
  const perRun = Array.from({ length: count }, (_, i) => {
    // Run i alone: the median of one figure is that figure.
    const runI = Object.fromEntries(clients.map((c) => [c.id, runs[c.id]?.slice(i, i + 1) ?? []]));
    return new Map(checkTargets(clients, mediansOf(clients, runI, metrics)).map((check) => [check.target, check.pass]));
  });
  return checks.map((check) => {
    const verdicts = perRun.map((run) => run.get(check.target)).filter((pass): pass is boolean => pass !== undefined);
    return verdicts.length === 0 ? check : { ...check, runs: { met: verdicts.filter(Boolean).length, of: verdicts.length } };
  });
}

/** Markdown list of the checks. */
export function renderTargets(checks: readonly TargetCheck[]): string {
  const mark = (pass: boolean | undefined): string => (pass === undefined ? '·' : pass ? '✔' : '✘');
  const runs = (c: TargetCheck): string => (c.runs ? ` · met in ${c.runs.met} of ${c.runs.of} run${c.runs.of === 1 ? '' : 's'}` : '');
  return checks.map((c) => `- ${mark(c.pass)} ${c.target}: ${c.detail}${runs(c)}`).join('\n');
}

function k(x: number): string {
  return `${Math.round(x / 1000)}k/s`;
}
