import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LatencyTraceFile } from '../workloads/latency-trace';
import { median, quantile } from '../stats';

/** The phase of a second is cut into bins this wide; a periodic stall crowds one of them. */
const PHASE_BIN_MS = 20;
const PHASE_BINS = 1000 / PHASE_BIN_MS;

/** What the slowest 1 % of one trace met. */
interface TailReading {
  client: string;
  p50Us: number;
  p99Us: number;
  /** Samples at or above the p99. */
  tail: number;
  /** Of them, those in flight while the collector paused the process. */
  inPause: number;
  /** The p99 of the samples that met no pause. */
  p99WithoutPausesUs: number;
  /** The fullest phase bin of the second: its start (ms) and how many tail samples fell in it. */
  densestPhaseMs: number;
  densestCount: number;
  /** In how many of the measured seconds a tail sample fell in that bin: all of them if periodic. */
  densestSeconds: number;
  seconds: number;
}

/**
 * Reads the latency traces of `BENCH_LATENCY_TRACE=<dir>` (see workloads/latency-trace.ts) and
 * tells, per client process, what its slowest messages met:
 * - a pause of the collector while the message was on its way;
 * - a stall at a fixed point of the second (a timer of the client's: its first run may land at
 *   the start of the window, later ones a second apart): the tail samples' arrival times modulo
 *   1 s, in 20 ms bins. Spread evenly, a bin holds 2 % of them; a timer of the client's that blocks the
 *   event loop once a second piles them into one bin, from most of the seconds measured (one
 *   burst of the machine's piles them there from one second only). The machine has periodic
 *   work of its own (the servers' cron, other tenants): a client's stall is the bin that stands
 *   out in every run of that client and in no run of the others.
 *
 * ```sh
 * BENCH_LATENCY_TRACE=/tmp/lat npx -y pnpm@10.34.9 bench --workloads latency --clients ours-fromChannel,raw-ioredis
 * npx -y pnpm@10.34.9 --filter @cluster-pubsub/bench bench:tails /tmp/lat
 * ```
 */
function main(): void {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: bench:tails <dir written by BENCH_LATENCY_TRACE>');
  const root = resolve(process.env.INIT_CWD ?? process.cwd(), dir);
  const files = readdirSync(root).filter((name) => name.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no trace in ${root}`);
  const readings = files.map((name) => read(JSON.parse(readFileSync(join(root, name), 'utf8')) as LatencyTraceFile));
  process.stdout.write(render(readings));
}

function read(trace: LatencyTraceFile): TailReading {
  const sorted = trace.samples.map(([, latency]) => latency).sort((a, b) => a - b);
  const p99 = quantile(sorted, 0.99);
  const metPause = ([arrival, latency]: [number, number]): boolean =>
    trace.pauses.some(([start, duration]) => start < arrival && start + duration > arrival - latency / 1000);
  const tail = trace.samples.filter(([, latency]) => latency >= p99);
  const bins = new Array<number>(PHASE_BINS).fill(0);
  for (const [arrival] of tail) bins[Math.floor((arrival % 1000) / PHASE_BIN_MS)]! += 1;
  const densest = bins.indexOf(Math.max(...bins));
  const secondsHit = new Set(tail.filter(([arrival]) => Math.floor((arrival % 1000) / PHASE_BIN_MS) === densest).map(([arrival]) => Math.floor(arrival / 1000)));
  const lastArrival = trace.samples[trace.samples.length - 1]?.[0] ?? 0;
  const calm = trace.samples.filter((sample) => !metPause(sample)).map(([, latency]) => latency).sort((a, b) => a - b);
  return {
    client: trace.client,
    p50Us: quantile(sorted, 0.5),
    p99Us: p99,
    tail: tail.length,
    inPause: tail.filter(metPause).length,
    p99WithoutPausesUs: quantile(calm, 0.99),
    densestPhaseMs: densest * PHASE_BIN_MS,
    densestCount: bins[densest] ?? 0,
    densestSeconds: secondsHit.size,
    seconds: Math.ceil(lastArrival / 1000),
  };
}

function render(readings: readonly TailReading[]): string {
  const lines = [
    '| client | p50 | p99 | slowest 1 % | of them in a collector pause | p99 without those | fullest 20 ms of the second (2 % if even; in every second if periodic) |',
    '|---|--:|--:|--:|--:|--:|--:|',
  ];
  const row = (r: TailReading): string =>
    `| ${r.client} | ${r.p50Us.toFixed(0)} µs | ${r.p99Us.toFixed(0)} µs | ${r.tail} | ${percent(r.inPause, r.tail)} | ${r.p99WithoutPausesUs.toFixed(0)} µs | ${percent(r.densestCount, r.tail)} at +${r.densestPhaseMs} ms, in ${r.densestSeconds} of ${r.seconds} s |`;
  const clients = [...new Set(readings.map((r) => r.client))];
  for (const client of clients) {
    const own = readings.filter((r) => r.client === client);
    lines.push(...own.map(row));
    const of = (pick: (r: TailReading) => number): number => median(own.map(pick)) ?? NaN;
    lines.push(
      `| **${client}, median of ${own.length}** | ${of((r) => r.p50Us).toFixed(0)} µs | ${of((r) => r.p99Us).toFixed(0)} µs | | ${of((r) => (100 * r.inPause) / r.tail).toFixed(0)} % | ${of((r) => r.p99WithoutPausesUs).toFixed(0)} µs | ${of((r) => (100 * r.densestCount) / r.tail).toFixed(0)} % |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function percent(part: number, whole: number): string {
  return `${whole === 0 ? 0 : Math.round((100 * part) / whole)} %`;
}

main();
