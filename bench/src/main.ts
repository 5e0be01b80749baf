/**
 * The side-by-side pub/sub benchmark (issue 5): every client of `clients/all-clients.ts` through
 * every workload of `workloads/`, `--runs` times, then tables of medians with ratios against raw
 * ioredis and the best peer, the targets, and JSON in `results/`.
 *
 *   pnpm bench            # the full run, about 8 minutes on 2 cores
 *   pnpm bench --quick    # a smoke run, about a minute
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ALL_CLIENTS } from './clients/all-clients';
import { workloadsOf } from './clients/bench-client';
import { acquireCluster, type BenchCluster } from './bench-cluster';
import type { ClientProcess } from './client-process';
import { describeMachine, loadAverage } from './machine';
import { allMetrics, mediansOf } from './metrics';
import { parseOptions } from './options';
import { Progress } from './progress';
import { waitForQuietMachine } from './quiet';
import { renderTables } from './report';
import { runClient, type ClientRunResult } from './run-client';
import { buildClientChild } from './child-build';
import { buildShippedCore } from './shipped-core';
import { checkTargets, renderTargets, withRunCounts } from './targets';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const clients = ALL_CLIENTS.filter((c) => options.clients.includes(c.id));
  const started = new Date();
  const live = new Set<ClientProcess>();
  let cluster: BenchCluster | undefined;
  const interrupted = async (): Promise<void> => {
    for (const child of live) child.kill();
    await cluster?.release();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  process.stderr.write('bench: building @cluster-pubsub/core as it ships and the client process, preparing the cluster…\n');
  buildShippedCore();
  await buildClientChild();
  cluster = await acquireCluster();
  try {
    const machine = await describeMachine(cluster.nodes);
    const steps = clients.reduce((sum, c) => sum + workloadsOf(c, options.workloads).length, 0);
    const progress = new Progress(options.runs * steps);
    const runs: Record<string, ClientRunResult[]> = Object.fromEntries(clients.map((c) => [c.id, []]));
    // Run-major order: a change in the machine's load during the run hits every client alike.
    // Each run starts the list at another client, so no client always goes first (right after
    // the previous run's heaviest workloads), and each client starts on a quiet machine.
    for (let run = 0; run < options.runs; run++) {
      for (const client of rotated(clients, run, options.runs)) {
        const waited = await waitForQuietMachine();
        if (waited >= 5_000) progress.note(`bench: waited ${(waited / 1000).toFixed(1)} s for a quiet machine before ${client.label}`);
        const track = (child: ClientProcess): void => void live.add(child);
        runs[client.id]?.push(await runClient(client, run, { nodes: cluster.nodes, options, progress, track }));
        live.clear();
      }
    }
    progress.finish();

    const metrics = allMetrics([...options.churnSizes, ...options.firstRunChurnSizes]);
    const medians = mediansOf(clients, runs, metrics);
    const targets = withRunCounts(checkTargets(clients, medians), clients, runs, metrics);
    const durationS = Math.round((Date.now() - started.getTime()) / 1000);
    const loadAverageAtEnd = loadAverage();
    const heading =
      `${options.quick ? 'Quick run' : 'Full run'}, medians of ${options.runs} run(s) ` +
      `(100k churn and memory: first run only), ${durationS} s, ${started.toISOString()}\n` +
      `Machine: ${machine.nproc} cores, ${machine.cpuModel}, Node ${machine.node}, redis-server ${machine.redisServer}, ` +
      `ioredis ${machine.ioredis}, node-redis ${machine.nodeRedis}, core ${machine.coreRevision}, ` +
      `1-min load average ${machine.loadAverageAtStart} at start and ${loadAverageAtEnd} at the end`;
    const failures = clients.flatMap((c) =>
      (runs[c.id] ?? []).flatMap((r, i) => Object.entries(r.errors ?? {}).map(([w, e]) => `- run ${i + 1}, ${c.label}, ${w}: ${e}`)),
    );
    const markdown =
      `${heading}\n\n${renderTables(clients, metrics, medians)}\n\n### targets (issue 5)\n\n${renderTargets(targets)}\n` +
      (failures.length > 0 ? `\n### failures\n\n${failures.join('\n')}\n` : '');
    process.stdout.write(`\n${markdown}`);

    const out = options.out;
    mkdirSync(dirname(out), { recursive: true });
    const json = { startedAt: started.toISOString(), durationS, machine: { ...machine, loadAverageAtEnd }, options, clients, medians, targets, runs };
    writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(out.replace(/\.json$/, '.md'), markdown);
    process.stderr.write(`bench: wrote ${out}\n`);
  } finally {
    await cluster.release();
  }
}

/** The clients in the order of run `run`: the list turned by an equal share per run. */
function rotated<T>(clients: readonly T[], run: number, runs: number): T[] {
  const shift = (run * Math.ceil(clients.length / runs)) % Math.max(clients.length, 1);
  return [...clients.slice(shift), ...clients.slice(0, shift)];
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
