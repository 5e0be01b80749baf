#!/usr/bin/env node
/**
 * Runs a command against a Redis Cluster:
 *
 *   node scripts/with-cluster.mjs <command> [args...]
 *
 * With REDIS_CLUSTER_NODES set, that cluster is used as is. Otherwise a local 3-master, 1-replica
 * cluster is started for the command, passed to it as REDIS_CLUSTER_NODES, and stopped when the
 * command ends. Exits with the command's exit code.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { constants } from 'node:os';

const ENV = 'REDIS_CLUSTER_NODES';
const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error('usage: node scripts/with-cluster.mjs <command> [args...]');
  process.exit(2);
}

let cluster;
if ((process.env[ENV] ?? '').trim() === '') {
  const require = createRequire(import.meta.url);
  const src = fileURLToPath(new URL('../packages/testing/src/index.ts', import.meta.url));
  const { startCluster } = require('tsx/cjs/api').require(src, import.meta.url);
  cluster = await startCluster();
  process.env[ENV] = cluster.nodesEnv;
  console.error(`with-cluster: started a local cluster, ${ENV}=${cluster.nodesEnv}`);
}

const child = spawn(command, args, { stdio: 'inherit' });
// Ctrl-C reaches the command through the terminal's process group; these are sent to us alone.
for (const name of ['SIGTERM', 'SIGHUP']) process.on(name, () => child.kill(name));
process.on('SIGINT', () => undefined);

const code = await new Promise((done) => {
  child.once('error', (error) => {
    console.error(`with-cluster: cannot run "${command}": ${error.message}`);
    done(127);
  });
  child.once('exit', (exitCode, signal) => done(exitCode ?? 128 + (constants.signals[signal] ?? 0)));
});
await cluster?.stop();
process.exit(code);
