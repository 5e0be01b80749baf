import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Redis } from 'ioredis';

/**
 * Pids of every process that belongs to a cluster directory: nodes run in it (cwd), watchdogs
 * carry it on their command line. Read from /proc, independent of what the package recorded.
 */
export function processesOf(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        if (!isRunning(Number(pid))) return false;
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes(dir) || readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Whether a process runs; a zombie does not (it only waits for its parent to collect it). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Polls until `check` holds, for conditions the code under test does not itself wait for. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((done) => setTimeout(done, 50));
  }
  return check();
}

/**
 * Closes a test's client. Not `disconnect()` on one the server already closed: ioredis then arms a
 * 2 s timer nothing clears, and Jest reports it did not exit.
 */
export function close(client: Redis): void {
  if (client.status !== 'end') client.disconnect();
}
