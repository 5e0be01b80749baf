import { ClusterNotStableError } from './errors';

/**
 * Polls `probe` until it returns `{ done: true }`, then resolves with its value.
 *
 * The probe explains itself while it is not done, so a timeout can say what was last seen instead
 * of a bare "timed out".
 * @internal
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<{ done: true; value: T } | { done: false; reason: string }>,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const result = await probe();
    if (result.done) return result.value;
    if (Date.now() >= deadline) throw new ClusterNotStableError(what, result.reason, options.timeoutMs);
    await sleep(options.intervalMs ?? 50);
  }
}

/** @internal */
export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
