import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { CLUSTER_NODES_ENV } from '@cluster-pubsub/testing';
import { acquireCluster } from '../bench-cluster';
import { buildChild } from '../child-build';
import { BENCH_DIR, buildShippedCore } from '../shipped-core';
import { median } from '../stats';
import type { GarbagePassResult } from './garbage-pass';

const run = promisify(execFile);

/**
 * The garbage probe: what a byte more per subscribe costs a 10,000-channel `fromChannel` pass, at
 * a random point of the collector's cycle as in the churn workload: as garbage, or with `--keep`
 * as bytes kept alive until the pass is confirmed (as a subscription's own objects are). It
 * prices a diet before anyone writes one: the 10k target (issue 5) is decided by the collector,
 * by how often a scavenge lands in a pass (all bytes made) and by what it then copies (the bytes
 * alive), and what one byte less per name moves is measured here, not guessed.
 *
 * Each round runs one process per size of extra garbage (alternated, so a change in the
 * machine's load hits every size alike); each process reports the median of its passes. The
 * table gives, per size, the median over rounds of the pass, of the bytes made alone (their own
 * CPU), and the rest: what the collector added.
 *
 * ```sh
 * npx -y pnpm@10.34.9 --filter @cluster-pubsub/bench probe:garbage            # 4 rounds of 0, 200, 400 B
 * npx -y pnpm@10.34.9 --filter @cluster-pubsub/bench probe:garbage --rounds 8 --bytes 0,100,200 --keep
 * ```
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, bytes: { type: 'string' }, passes: { type: 'string' }, keep: { type: 'boolean' } } });
  const rounds = Number(values.rounds ?? 4);
  const sizes = (values.bytes ?? '0,200,400').split(',').map(Number);
  const passes = values.passes ?? '60';
  // The child leaves its first 8 passes untimed (see garbage-pass.ts).
  if (!(rounds >= 1) || !(Number(passes) > 8) || sizes.some((size) => !(size >= 0))) throw new Error('usage: probe:garbage [--rounds N] [--bytes 0,200,400] [--passes N > 8] [--keep]');
  process.stderr.write('probe: building @cluster-pubsub/core as it ships and the probe process, preparing the cluster…\n');
  buildShippedCore();
  const child = await buildChild('garbage-pass', join(BENCH_DIR, 'src', 'probes', 'garbage-pass.ts'));
  const cluster = await acquireCluster();
  try {
    const nodesEnv = cluster.nodes.map(({ host, port }) => `${host}:${port}`).join(',');
    const results = new Map<number, GarbagePassResult[]>(sizes.map((size) => [size, []]));
    for (let round = 0; round < rounds; round++) {
      for (const size of sizes) {
        const env = { ...process.env, [CLUSTER_NODES_ENV]: nodesEnv, GARBAGE_BYTES: String(size), GARBAGE_PASSES: passes, GARBAGE_KEEP: values.keep ? '1' : '0' };
        const { stdout } = await run(process.execPath, [child], { env });
        const result = JSON.parse(stdout.trim().split('\n').pop() ?? '') as GarbagePassResult;
        results.get(size)?.push(result);
        process.stderr.write(`probe: round ${round + 1}/${rounds}, +${size} B: ${result.passMs.toFixed(2)} ms\n`);
      }
    }
    process.stdout.write(render(sizes, results));
  } finally {
    await cluster.release();
  }
}

/** The table: per size of extra bytes, medians over the rounds, each against the first size. */
function render(sizes: readonly number[], results: ReadonlyMap<number, readonly GarbagePassResult[]>): string {
  const of = (size: number, key: 'passMs' | 'madeAloneMs'): number => median((results.get(size) ?? []).map((r) => r[key])) ?? NaN;
  const base = sizes[0] ?? 0;
  const lines = [
    `| extra ${results.get(base)?.[0]?.kept ? 'kept' : 'garbage'} per subscribe | pass (median of rounds) | each round | made alone | the collector's share (pass − base − made alone) |`,
    '|--:|--:|---|--:|--:|',
  ];
  for (const size of sizes) {
    const rounds = (results.get(size) ?? []).map((r) => r.passMs.toFixed(2)).join(', ');
    const collector = of(size, 'passMs') - of(base, 'passMs') - (of(size, 'madeAloneMs') - of(base, 'madeAloneMs'));
    lines.push(`| ${size} B | ${of(size, 'passMs').toFixed(2)} ms | ${rounds} | ${of(size, 'madeAloneMs').toFixed(2)} ms | ${collector.toFixed(2)} ms |`);
  }
  return `${lines.join('\n')}\n`;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
