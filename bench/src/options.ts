import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_CLIENTS } from './clients/all-clients';

/**
 * The workloads, in the order each client process runs them: churn (with memory) last, since a
 * pass that hits its cap leaves the client unusable.
 */
export const WORKLOADS = ['latency', 'throughput', 'drain', 'churn'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** What one benchmark run does; `--quick` shrinks every size for a ~1 minute smoke run. */
export interface BenchOptions {
  readonly quick: boolean;
  readonly runs: number;
  readonly clients: readonly string[];
  readonly workloads: readonly Workload[];
  /** Steady publish rate of the latency workload, and how long each client is measured. */
  readonly latencyRate: number;
  readonly latencyMs: number;
  readonly drainMessages: number;
  readonly throughputMessages: number;
  /** Churn sizes measured in every run. */
  readonly churnSizes: readonly number[];
  /** Churn sizes measured in the first run only: 100,000 channels take tens of seconds for some. */
  readonly firstRunChurnSizes: readonly number[];
  /** Channels weighed by the memory workload, in the first run only. */
  readonly memoryChannels: number;
  readonly payloadBytes: number;
  /** Where the JSON goes (default `bench/results/latest.json`); the tables go next to it as `.md`. */
  readonly out: string;
  /** When set, client processes run with `--cpu-prof` into this directory. */
  readonly profileDir: string | undefined;
}

const USAGE = `usage: pnpm bench [--quick] [--runs N] [--clients id,id] [--workloads ${WORKLOADS.join(',')}]
                  [--out FILE] [--profile DIR]
clients: ${ALL_CLIENTS.map((c) => c.id).join(', ')}`;

/** Parses the command line; prints usage and exits on `--help` or a bad value. */
export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      clients: { type: 'string' },
      workloads: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) exit(0);
  const quick = values.quick ?? false;
  const runs = Number(values.runs ?? (quick ? 1 : 3));
  if (!Number.isInteger(runs) || runs < 1) exit(2, `--runs must be a whole number >= 1, got ${values.runs}`);
  const clients = list(values.clients, ALL_CLIENTS.map((c) => c.id));
  const workloads = list(values.workloads, [...WORKLOADS]) as Workload[];
  for (const w of workloads) if (!WORKLOADS.includes(w)) exit(2, `unknown workload "${w}"`);
  for (const id of clients) if (!ALL_CLIENTS.some((c) => c.id === id)) exit(2, `unknown client "${id}"`);
  return {
    quick,
    runs,
    clients,
    workloads,
    latencyRate: 2_000,
    latencyMs: quick ? 1_000 : 5_000,
    drainMessages: quick ? 20_000 : 100_000,
    throughputMessages: quick ? 40_000 : 200_000,
    churnSizes: [10_000],
    firstRunChurnSizes: quick ? [] : [100_000],
    memoryChannels: quick ? 20_000 : 100_000,
    payloadBytes: 64,
    out: values.out === undefined ? join(__dirname, '..', 'results', 'latest.json') : callerPath(values.out),
    profileDir: values.profile === undefined ? undefined : callerPath(values.profile),
  };
}

function list(value: string | undefined, all: string[]): string[] {
  return value === undefined ? all : value.split(',').map((s) => s.trim()).filter(Boolean);
}

function exit(code: number, message?: string): never {
  if (message) console.error(message);
  console.error(USAGE);
  process.exit(code);
}

/**
 * A path given on the command line, as the caller meant it: pnpm runs the bench's scripts in
 * `bench/`, and `INIT_CWD` is where pnpm was started.
 */
export function callerPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}
