import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as Core from '@cluster-pubsub/core';

/**
 * The bench package's directory, found from this file's: the source (`src/`) and the client
 * child's build (`dist/child/`) both import this module, at different depths.
 */
export const BENCH_DIR = benchDir(__dirname);
const CORE_OUT_DIR = join(BENCH_DIR, 'dist', 'core');

/**
 * Builds `@cluster-pubsub/core` the way it ships (tsup: esbuild, CommonJS, node20, dependencies
 * left external) into `bench/dist/core`. The bench measures that build, not the TypeScript source
 * run through tsx: tsx compiles with esbuild's `keepNames`, which wraps every closure in a
 * `__name(…)` call and costs about 2.5 KB of heap per subscription.
 */
export function buildShippedCore(): void {
  const entry = join(BENCH_DIR, '..', 'packages', 'core', 'src', 'index.ts');
  execFileSync(process.execPath, [tsupCli(), entry, '--format', 'cjs', '--target', 'node20', '--out-dir', CORE_OUT_DIR, '--silent'], {
    cwd: BENCH_DIR,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The build made by {@link buildShippedCore}. */
export function shippedCore(): typeof Core {
  return require(join(CORE_OUT_DIR, 'index.js')) as typeof Core;
}

/** tsup's command line, run with this Node. */
function tsupCli(): string {
  return join(dirname(require.resolve('tsup/package.json')), 'dist', 'cli-default.js');
}

function benchDir(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@cluster-pubsub/bench') return dir;
  }
  throw new Error(`bench: no @cluster-pubsub/bench package.json above ${from}`);
}
