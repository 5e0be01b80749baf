import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, NODE_FILES, processStartTime, signal, waitForGone } from './node-process';

/**
 * Prefix of every cluster directory under `os.tmpdir()`.
 *
 * @example
 * ```ts
 * expect(basename(cluster.dir).startsWith(CLUSTER_DIR_PREFIX)).toBe(true);
 * ```
 */
export const CLUSTER_DIR_PREFIX = 'cluster-pubsub-';
const OWNER_FILE = 'owner.json';

/**
 * Who a cluster directory belongs to. A non-detached cluster dies with its owner; a detached one
 * (the CLI's) lives until `stopClusterDir`.
 * @internal
 */
export interface ClusterOwner {
  pid: number;
  startTime: string | null;
  detached: boolean;
  host: string;
}

/** Creates `<tmp>/cluster-pubsub-XXXXXX` owned by this process. @internal */
export function createClusterDir(detached: boolean, host: string): string {
  // Real path: a node's /proc/<pid>/cwd, compared against it later, has every symlink resolved.
  const dir = realpathSync(mkdtempSync(join(tmpdir(), CLUSTER_DIR_PREFIX)));
  const owner: ClusterOwner = { pid: process.pid, startTime: processStartTime(process.pid), detached, host };
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify(owner));
  return dir;
}

/** The owner record of a cluster directory, `null` if it has none. @internal */
export function readOwner(dir: string): ClusterOwner | null {
  try {
    return JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as ClusterOwner;
  } catch {
    return null;
  }
}

/** Whether the owner still runs (and is the same process, not a reused pid). @internal */
export function ownerAlive(owner: ClusterOwner): boolean {
  if (!isAlive(owner.pid)) return false;
  return owner.startTime === null || processStartTime(owner.pid) === owner.startTime;
}

/**
 * Kills every process of the cluster whose files are in `dir` (nodes and their watchdogs, whoever
 * started them), waits until they are gone and their ports closed, then deletes `dir`.
 * Safe to call twice, on a half-started cluster, or on a directory already removed.
 *
 * @example
 * ```ts
 * await stopClusterDir('/tmp/cluster-pubsub-Ab12Cd'); // what `pnpm cluster stop` does
 * ```
 */
export async function stopClusterDir(dir: string): Promise<void> {
  const host = readOwner(dir)?.host ?? '127.0.0.1';
  const nodes = nodeDirs(dir);
  const pids: number[] = [];
  for (const { nodeDir } of nodes) {
    const watchdog = readPid(join(nodeDir, NODE_FILES.watchdogPid));
    if (watchdog !== null && belongsTo(watchdog, nodeDir, 'cmdline')) {
      signal(-watchdog, 'SIGKILL');
      pids.push(watchdog);
    }
    const node = readPid(join(nodeDir, NODE_FILES.pid));
    if (node !== null && belongsTo(node, nodeDir, 'cwd')) {
      signal(node, 'SIGKILL');
      pids.push(node);
    }
  }
  const ports = nodes.map(({ port }) => ({ host, port }));
  await waitForGone(pids, ports, 10_000);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Stops and removes cluster directories left by owners that died without stopping them (a test
 * run that was SIGKILLed). Detached clusters are left alone: they have no owner to outlive.
 * @internal
 */
export async function sweepLeftovers(): Promise<void> {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir()).filter((name) => name.startsWith(CLUSTER_DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of entries) {
    const dir = realpathSync(join(tmpdir(), name));
    const owner = readOwner(dir);
    if (owner !== null && !owner.detached && !ownerAlive(owner)) {
      await stopClusterDir(dir).catch(() => undefined);
    }
  }
}

/** The node directories of a cluster directory, named after their ports. @internal */
export function nodeDirs(dir: string): { port: number; nodeDir: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^\d+$/.test(name))
    .map((name) => ({ port: Number(name), nodeDir: join(dir, name) }));
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Whether `pid` is still the process we recorded, not an unrelated one that got the pid later:
 * a node runs with its directory as working directory, a watchdog carries it on its command line.
 */
function belongsTo(pid: number, nodeDir: string, how: 'cwd' | 'cmdline'): boolean {
  if (!isAlive(pid)) return false;
  try {
    if (how === 'cmdline') return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${nodeDir}/`);
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    return cwd === nodeDir || cwd === `${nodeDir} (deleted)`;
  } catch {
    return process.platform !== 'linux';
  }
}
