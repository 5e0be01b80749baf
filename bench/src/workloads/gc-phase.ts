import { getHeapSpaceStatistics } from 'node:v8';

/**
 * Moves V8's young generation to a random fill level before a timed churn pass, by allocating a
 * random amount (up to one semi-space) of short-lived garbage, untimed.
 *
 * Why: the young generation fills about once per cycle of 10,000 subscribes and unsubscribes,
 * and the bench runs the same steps in the same order in every client's process, so where the
 * scavenge falls is set by what ran before, the same in every pass of a process and for every
 * run of a client. With `--trace-gc` in the client processes, the same library, ours:
 * - churn alone: the scavenges ran as idle tasks between the passes (1–2.6 ms each), and the
 *   subscribe passes took 10.8–17.5 ms;
 * - churn after the drain workload: a scavenge on allocation failure inside every subscribe
 *   pass (5.8–10.4 ms), and those passes took 28–32 ms (the collector's after-effects, copied
 *   objects and promotions, beyond its pause).
 * A fixed phase measures the order of the workloads as much as the client. At a random phase,
 * each pass meets a collection with the chance its own allocation gives it, as a subscribe
 * burst in an application does, and the median over passes and runs is the typical cost.
 *
 * Not `gc()`: a forced full collection throws away V8's optimized code for the subscribe path
 * (see bench/README), and it sets the phase to the same place every time.
 *
 * Returns the last chunk it made: a result the caller could use, so the allocation is not
 * optimized away.
 */
export function randomizeCollectorPhase(): number[] | undefined {
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  if (!newSpace) return undefined;
  // `space_size` counts both semi-spaces; one fills between two scavenges.
  const bytes = Math.random() * (newSpace.space_size / 2);
  let chunk: number[] | undefined;
  for (let allocated = 0; allocated < bytes; allocated += CHUNK_BYTES) chunk = new Array<number>(CHUNK_LENGTH).fill(0);
  return chunk;
}

/** Each chunk is one small-object array (8 B an element plus its header) in the young generation. */
const CHUNK_LENGTH = 1000;
const CHUNK_BYTES = CHUNK_LENGTH * 8 + 16;
