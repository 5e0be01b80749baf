/** The q-quantile (0..1) of sorted numbers, nearest-rank; NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

/** The median of the values that are numbers (Infinity counts: a capped pass); undefined if none. */
export function median(values: readonly (number | undefined)[]): number | undefined {
  const finite = values.filter((v): v is number => v !== undefined && !Number.isNaN(v)).sort((a, b) => a - b);
  if (finite.length === 0) return undefined;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid] : ((finite[mid - 1] ?? 0) + (finite[mid] ?? 0)) / 2;
}

/** Monotonic nanoseconds, comparable across processes on one machine (CLOCK_MONOTONIC). */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
