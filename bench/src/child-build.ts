import { join } from 'node:path';
import { BENCH_DIR } from './shipped-core';

/** The client child as plain JavaScript (see buildClientChild). */
export const CHILD_BUILD = join(BENCH_DIR, 'dist', 'child', 'client-child.js');

/**
 * Builds the client child (`src/child/client-child.ts`, its workloads and client adapters, and
 * `@cluster-pubsub/testing` from its source) with tsup into one CommonJS file, so that each
 * client's process runs in plain `node`, as an application does, rather than under tsx. The
 * clients' libraries stay external: each process loads them from node_modules as users do, and
 * `@cluster-pubsub/core` is the shipped build (`shippedCore`).
 *
 * Why: a process under tsx's loader has source maps switched on and a loader thread of its own;
 * an application runs compiled JavaScript in plain node, and so should what the bench measures.
 * The difference is not constant. Outside the bench, `fromChannel`'s 10,000-channel pass over
 * six alternated process pairs took 16.6–22.7 ms plain and 23.1–30.7 ms with tsx's `--require`
 * and `--import`; with a live subscription open (as in the bench), eight pairs showed no
 * consistent difference.
 */
export async function buildClientChild(): Promise<void> {
  await buildChild('client-child', join(BENCH_DIR, 'src', 'child', 'client-child.ts'));
}

/**
 * Builds `source` as buildClientChild builds the client child, into `bench/dist/child/<name>.js`
 * (also used by the probes in `src/probes/`).
 */
export async function buildChild(name: string, source: string): Promise<string> {
  const { build } = (await import('tsup')) as typeof import('tsup');
  await build({
    entry: { [name]: source },
    outDir: join(BENCH_DIR, 'dist', 'child'),
    format: ['cjs'],
    target: 'node20',
    platform: 'node',
    tsconfig: join(BENCH_DIR, 'tsconfig.json'),
    external: ['ioredis', 'redis', 'rxjs', 'cluster-key-slot'],
    noExternal: [/^@cluster-pubsub\/testing$/],
    silent: true,
  });
  return join(BENCH_DIR, 'dist', 'child', `${name}.js`);
}
