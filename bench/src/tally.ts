/**
 * Judges the targets over several full runs at once: the runs of every JSON given are
 * pooled, client by client, and the tables, the targets and their run counts are made again from
 * the pool, exactly as one bench run makes them from its own runs.
 *
 *   npx -y pnpm@10.34.9 bench:tally bench/results/runs/full-*.json   # from the repository root
 *
 * Figures move by ±10–30 % between runs on this machine, and some targets are met or missed by
 * less than that: three runs decide them by luck. Pool only runs of the same code: each file's
 * revision is listed (a revision is the repository's, so a change to the bench alone makes a new
 * one); files measured with other clients, workloads or sizes are refused.
 */
import { readFileSync } from 'node:fs';
import { ALL_CLIENTS } from './clients/all-clients';
import type { BenchClient } from './clients/bench-client';
import { allMetrics, mediansOf } from './metrics';
import { callerPath, type BenchOptions } from './options';
import { renderTables } from './report';
import type { ClientRunResult } from './run-client';
import { checkTargets, renderTargets, withRunCounts } from './targets';

/** The part of a bench JSON the tally reads. */
interface SavedRun {
  readonly startedAt: string;
  readonly machine: { readonly coreRevision: string };
  readonly options: BenchOptions;
  readonly clients: readonly { readonly id: string }[];
  readonly runs: Record<string, ClientRunResult[]>;
}

/** The tables and targets of the runs of `files` (paths from where pnpm was started) pooled, as Markdown. */
export function tally(files: readonly string[]): string {
  if (files.length === 0) throw new Error('give the bench JSON files to pool (results of --out)');
  const saved = files.map((file) => ({ file, run: JSON.parse(readFileSync(callerPath(file), 'utf8')) as SavedRun }));
  const first = saved[0]!.run;
  for (const { file, run } of saved) {
    if (poolingKey(run.options) !== poolingKey(first.options)) {
      throw new Error(`${file} ran other clients, workloads or sizes than ${saved[0]!.file} (${poolingKey(run.options)} against ${poolingKey(first.options)})`);
    }
  }
  const ids = new Set(saved.flatMap(({ run }) => run.clients.map((c) => c.id)));
  const clients: BenchClient[] = ALL_CLIENTS.filter((c) => ids.has(c.id));
  const runs: Record<string, ClientRunResult[]> = Object.fromEntries(
    clients.map((c) => [c.id, saved.flatMap(({ run }) => run.runs[c.id] ?? [])]),
  );
  const metrics = allMetrics([...first.options.churnSizes, ...first.options.firstRunChurnSizes]);
  const medians = mediansOf(clients, runs, metrics);
  const targets = withRunCounts(checkTargets(clients, medians), clients, runs, metrics);
  const count = Math.max(...Object.values(runs).map((r) => r.length));
  const heading =
    `Tally of ${saved.length} bench result(s), ${count} runs pooled: medians over all of them ` +
    `(100k churn and memory: the first run of each result)\n` +
    saved.map(({ file, run }) => `- ${file}: ${run.startedAt}, core ${run.machine.coreRevision}`).join('\n');
  return `${heading}\n\n${renderTables(clients, metrics, medians)}\n\n### targets (issue 5)\n\n${renderTargets(targets)}\n`;
}

/**
 * What makes two results poolable: the same clients and workloads (the target counts pair each
 * client's run i with the others' run i), measured with the same sizes and counts.
 */
function poolingKey(options: BenchOptions): string {
  const { clients, workloads, quick, latencyMs, drainMessages, throughputMessages, churnSizes, firstRunChurnSizes } = options;
  return JSON.stringify({ clients, workloads, quick, latencyMs, drainMessages, throughputMessages, churnSizes, firstRunChurnSizes });
}

if (require.main === module) {
  try {
    process.stdout.write(tally(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`bench:tally: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}
