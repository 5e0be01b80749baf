#!/usr/bin/env node
/**
 * A local Redis Cluster that outlives the command, for examples, benchmarks and manual testing.
 *
 *   pnpm cluster start [--masters 3] [--replicas 1] [--node-timeout 2000]
 *   pnpm cluster status
 *   pnpm cluster stop
 *
 * `start` prints REDIS_CLUSTER_NODES=host:port,… and records the cluster in .cluster/state.json at
 * the workspace root (or --state FILE), which `status` and `stop` read.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE =
  'usage: cluster <start|stop|status> [--masters N] [--replicas R] [--node-timeout MS] [--state FILE]';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    masters: { type: 'string', default: '3' },
    replicas: { type: 'string', default: '1' },
    'node-timeout': { type: 'string', default: '2000' },
    state: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
const [command] = positionals;
const stateFile = resolve(values.state ?? join(workspaceRoot(process.cwd()), '.cluster', 'state.json'));

const commands = { start, stop, status };
if (values.help || !(command in commands)) {
  console.error(USAGE);
  process.exitCode = values.help ? 0 : 2;
} else {
  try {
    process.exitCode = await commands[command]();
  } catch (error) {
    console.error(`cluster ${command}: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}

async function start() {
  const testing = loadTesting();
  const running = readState();
  if (running !== null) {
    if (await isUp(testing, running)) {
      console.error(`cluster already running (${running.dir}); "cluster stop" first to start another`);
      console.log(`${testing.CLUSTER_NODES_ENV}=${running.nodes}`);
      return 0;
    }
    await testing.stopClusterDir(running.dir);
  }
  const cluster = await testing.startCluster({
    masters: integer('masters'),
    replicasPerMaster: integer('replicas'),
    nodeTimeoutMs: integer('node-timeout'),
    detached: true,
  });
  mkdirSync(dirname(stateFile), { recursive: true });
  const state = { dir: cluster.dir, nodes: cluster.nodesEnv, startedAt: new Date().toISOString() };
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
  console.log(`${testing.CLUSTER_NODES_ENV}=${cluster.nodesEnv}`);
  console.error(`cluster started in ${cluster.dir}; stop it with "cluster stop"`);
  return 0;
}

async function stop() {
  const state = readState();
  if (state === null) {
    console.error('no cluster recorded; nothing to stop');
    return 0;
  }
  await loadTesting().stopClusterDir(state.dir);
  rmSync(stateFile, { force: true });
  console.error(`cluster in ${state.dir} stopped`);
  return 0;
}

async function status() {
  const state = readState();
  if (state === null) {
    console.error('no cluster running');
    return 1;
  }
  const testing = loadTesting();
  const controller = testing.attachCluster(nodesOf(testing, state));
  const nodes = await controller.describe();
  for (const node of nodes) {
    const slots = node.slots.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
    const role =
      node.role === 'replica' ? `replica of ${nodes.find((n) => n.id === node.masterId)?.port}` : 'master';
    console.log(`${node.host}:${node.port}  ${node.alive ? 'up  ' : 'DOWN'}  ${role}  ${slots}`);
  }
  console.log(`${testing.CLUSTER_NODES_ENV}=${state.nodes}`);
  try {
    await controller.waitForStable({ timeoutMs: 2000 });
    return 0;
  } catch (error) {
    console.error(`not stable: ${error.reason ?? error.message}`);
    return 1;
  }
}

/** This repository runs the TypeScript source through tsx; an installed copy runs its build. */
function loadTesting() {
  const require = createRequire(import.meta.url);
  const src = fileURLToPath(new URL('../src/index.ts', import.meta.url));
  return existsSync(src) ? require('tsx/cjs/api').require(src, import.meta.url) : require('../dist/index.js');
}

function readState() {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    return null;
  }
}

async function isUp(testing, state) {
  const nodes = await testing.attachCluster(nodesOf(testing, state)).describe();
  return nodes.some((node) => node.alive);
}

function nodesOf(testing, state) {
  return testing.clusterNodesFromEnv({ [testing.CLUSTER_NODES_ENV]: state.nodes });
}

function integer(name) {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} must be a whole number, got "${values[name]}"`);
  return value;
}

function workspaceRoot(from) {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}
