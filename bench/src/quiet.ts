import { cpus } from 'node:os';
import { sleep } from './stats';

/** CPU time of every core so far (ms): all of it, and the part not idle. */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/**
 * Waits until the machine is quiet: the share of CPU time in use over one `windowMs` window (all
 * cores) is below `maxBusy`. Each client's process starts only then, so it does not inherit what
 * the one before left running: a just-started cluster still syncing its replicas, or a server
 * still busy after the previous client's workloads. Started right after the cluster, a client
 * measured a latency p50 3–4× and a p99 4–5× what the same client measured in the next run.
 * Gives up after `maxWaitMs` (a machine that is never quiet) and returns how long it waited.
 */
export async function waitForQuietMachine({ windowMs = 500, maxBusy = 0.25, maxWaitMs = 15_000 } = {}): Promise<number> {
  const started = Date.now();
  for (;;) {
    const before = cpuTimes();
    await sleep(windowMs);
    const after = cpuTimes();
    const total = after.total - before.total;
    const busy = total > 0 ? (after.busy - before.busy) / total : 0;
    const waited = Date.now() - started;
    if (busy < maxBusy || waited >= maxWaitMs) return waited;
  }
}
