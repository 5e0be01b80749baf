import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import type * as Core from '@cluster-pubsub/core';

const BENCH_DIR = join(__dirname, '..');
const OUT_DIR = join(BENCH_DIR, 'dist', 'core');

/**
 * Builds `@cluster-pubsub/core` the way it ships (tsup: esbuild, CommonJS, node20, dependencies
 * left external) into `bench/dist/core`. The bench measures that build, not the TypeScript source
 * run through tsx: tsx compiles with esbuild's `keepNames`, which wraps every closure in a
 * `__name(…)` call and costs about 2.5 KB of heap per subscription.
 */
export function buildShippedCore(): void {
  const tsup = join(dirname(require.resolve('tsup/package.json')), 'dist', 'cli-default.js');
  const entry = join(BENCH_DIR, '..', 'packages', 'core', 'src', 'index.ts');
  execFileSync(process.execPath, [tsup, entry, '--format', 'cjs', '--target', 'node20', '--out-dir', OUT_DIR, '--silent'], {
    cwd: BENCH_DIR,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The build made by {@link buildShippedCore}. */
export function shippedCore(): typeof Core {
  return require(join(OUT_DIR, 'index.js')) as typeof Core;
}
