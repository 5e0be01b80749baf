/**
 * Runs every example in turn, each under a header, against the cluster of REDIS_CLUSTER_NODES.
 *
 *   npx -y pnpm@10.34.9 --filter @cluster-pubsub/examples run all
 */
import { main as basic } from './basic';
import { main as clusterConsiderations } from './cluster-considerations';
import { runIfMain, type ExampleMain, type StartupNodes } from './cluster-from-env';
import { main as contextManager } from './context-manager';
import { main as nonBlocking } from './non-blocking';
import { main as patterns } from './patterns';
import { main as publishing } from './publishing';
import { main as rxjsPipeline } from './rxjs-pipeline';

/** Every example, in the seed's order, by its script name. */
export const EXAMPLES: readonly (readonly [name: string, main: ExampleMain])[] = [
  ['basic', basic],
  ['patterns', patterns],
  ['non-blocking', nonBlocking],
  ['publishing', publishing],
  ['context-manager', contextManager],
  ['cluster-considerations', clusterConsiderations],
  ['rxjs-pipeline', rxjsPipeline],
];

/**
 * Runs the examples one after another; the first failure stops the run.
 *
 * @example
 * ```ts
 * await main([{ host: '127.0.0.1', port: 7000 }]); // === basic === …
 * ```
 */
export async function main(startupNodes: StartupNodes, log: (line: string) => void = console.log): Promise<void> {
  for (const [index, [name, run]] of EXAMPLES.entries()) {
    log(`${index === 0 ? '' : '\n'}=== ${name} ===`);
    await run(startupNodes, log);
  }
}

runIfMain(module, main);
