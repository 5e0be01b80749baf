import type { RedisClusterOptions } from '@cluster-pubsub/core';

/** What `new RedisCluster({ startupNodes })` takes. */
export type StartupNodes = RedisClusterOptions['startupNodes'];

/** Where the examples find the cluster: `host:port,host:port,…`, as `pnpm cluster start` prints it. */
export const CLUSTER_NODES_ENV = 'REDIS_CLUSTER_NODES';

/** An example's entry point: the startup nodes, and where its output goes. */
export type ExampleMain = (startupNodes: StartupNodes, log?: (line: string) => void) => Promise<void>;

const HOW_TO_START = `${CLUSTER_NODES_ENV} is not set, so there is no Redis Cluster to run against. Either:
  - let the workspace start one for the run:  npx -y pnpm@10.34.9 demo
  - or start one that outlives the command:   npx -y pnpm@10.34.9 cluster start
    and export the ${CLUSTER_NODES_ENV}=… line it prints (stop it with "cluster stop").`;

/**
 * The startup nodes named by `REDIS_CLUSTER_NODES`, or `undefined` (with a message on stderr
 * saying how to start a cluster) when it is unset or malformed.
 *
 * @example
 * ```ts
 * const startupNodes = clusterFromEnv(); // [{ host: '127.0.0.1', port: 7000 }, …]
 * ```
 */
export function clusterFromEnv(env: NodeJS.ProcessEnv = process.env): StartupNodes | undefined {
  const value = env[CLUSTER_NODES_ENV]?.trim() ?? '';
  if (value === '') {
    console.error(HOW_TO_START);
    return undefined;
  }
  const nodes = value.split(',').map((address) => /^\[?([^\]]+?)\]?:(\d+)$/.exec(address.trim()));
  if (nodes.some((match) => match === null)) {
    console.error(`${CLUSTER_NODES_ENV}="${value}" is not a list of host:port.\n\n${HOW_TO_START}`);
    return undefined;
  }
  return nodes.map((match) => ({ host: match![1]!, port: Number(match![2]) }));
}

/**
 * Runs an example's `main` when its file is executed directly (`tsx src/basic.ts`), not when it
 * is imported (by `run-all.ts` or the test). Sets a failing exit code instead of throwing, so the
 * process still exits by itself: a hang would mean a leaked connection.
 *
 * @example
 * ```ts
 * runIfMain(module, main);
 * ```
 */
export function runIfMain(entry: NodeModule, main: ExampleMain): void {
  if (require.main !== entry) return;
  const startupNodes = clusterFromEnv();
  if (startupNodes === undefined) {
    process.exitCode = 2;
    return;
  }
  main(startupNodes).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
