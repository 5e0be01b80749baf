import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { sleep } from './wait-until';

/**
 * Runs the node and, beside it, a loop that SIGKILLs the node once the owner process is gone, so a
 * SIGKILLed test run leaves no `redis-server` behind for longer than a second. When the node exits
 * first (a `kill()` fault), the wrapper kills its own process group: nothing of it outlives the node.
 * `$1` owner pid, `$2` file to record the wrapper's pid (= its process group), `$3...` the command.
 */
const WATCHDOG = `
owner=$1; echo $$ > "$2"; shift 2
"$@" &
node=$!
( while kill -0 "$owner" 2>/dev/null; do sleep 1; done; kill -9 "$node" 2>/dev/null ) &
wait "$node"
kill -9 -$$
`;

/** File names inside a node's directory. @internal */
export const NODE_FILES = {
  config: 'redis.conf',
  pid: 'redis.pid',
  watchdogPid: 'watchdog.pid',
  log: 'redis.log',
  stderr: 'stderr.log',
} as const;

/**
 * Starts `redis-server <configFile>` in its own process group. With an owner pid it runs under the
 * watchdog above; without one (a detached cluster) it runs on its own and outlives this process.
 * Returns the pid of what was spawned (the watchdog, or the node itself).
 * @internal
 */
export function spawnNode(options: { executable: string; nodeDir: string; ownerPid: number | null }): number {
  const { executable, nodeDir, ownerPid } = options;
  const configFile = join(nodeDir, NODE_FILES.config);
  const output = openSync(join(nodeDir, NODE_FILES.stderr), 'a');
  try {
    const child =
      ownerPid === null
        ? spawn(executable, [configFile], { detached: true, stdio: ['ignore', output, output] })
        : spawn(
            '/bin/sh',
            [
              '-c',
              WATCHDOG,
              'cluster-pubsub-watchdog',
              String(ownerPid),
              join(nodeDir, NODE_FILES.watchdogPid),
              executable,
              configFile,
            ],
            { detached: true, stdio: ['ignore', output, output] },
          );
    // Not waited for: a node must not keep the test process alive, and stop() kills it by pid.
    child.unref();
    // A spawn that fails has no pid and is reported right here; its 'error' event, emitted later,
    // would otherwise crash the process a second time.
    child.once('error', () => undefined);
    if (child.pid === undefined) throw new Error(`could not spawn ${executable}`);
    return child.pid;
  } finally {
    closeSync(output);
  }
}

/**
 * Whether the process runs. A zombie counts as gone: it holds no port and only waits for a parent
 * (possibly a container's init that never reaps) to collect its exit status.
 * @internal
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Process start time in clock ticks since boot (Linux), to tell a pid from its reuse. @internal */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Sends a signal, ignoring a process that is already gone. A negative pid is a process group. @internal */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone: exactly what the caller wants.
  }
}

/** Resolves once no pid is alive and no port accepts connections; `false` on timeout. @internal */
export async function waitForGone(
  pids: number[],
  ports: { host: string; port: number }[],
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.some(isAlive) || (await Promise.all(ports.map(isListening))).some(Boolean);
    if (!alive) return true;
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
}

/** Whether something accepts TCP connections on host:port. @internal */
export function isListening({ host, port }: { host: string; port: number }): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
