import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';

/** The environment variable that turns the trace on: a directory to write into. */
const LATENCY_TRACE_ENV = 'BENCH_LATENCY_TRACE';

/**
 * What one latency measurement leaves in the trace directory: every counted sample and every
 * collector pause, on one clock (milliseconds since the first counted sample).
 */
export interface LatencyTraceFile {
  client: string;
  /** `[arrival ms, latency µs]`, in arrival order. */
  samples: [number, number][];
  /** `[start ms, duration ms, kind]` (kind as `PerformanceEntry.detail.kind`: 1 scavenge, 4 mark-compact…). */
  pauses: [number, number, number][];
}

/**
 * The latency workload's trace (`BENCH_LATENCY_TRACE=<dir>`): each sample's arrival and latency,
 * and the collector's pauses, written as one JSON file per client process when the measurement
 * ends. `pnpm bench:tails <dir>` tells what the slowest messages met: a pause of the collector,
 * or a stall at the same point of the second (a timer of the client's). That is how the slot
 * map's first look, where the measured window begins, showed in our p99 (see bench/README).
 */
export class LatencyTrace {
  private readonly samples: [number, number][] = [];
  private readonly pauses: [number, number, number][] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = ((entry as { detail?: { kind?: number } }).detail)?.kind ?? 0;
      this.pauses.push([entry.startTime, entry.duration, kind]);
    }
  });
  /** performance.now() at the first counted sample. */
  private origin: number | undefined;

  private constructor(
    private readonly dir: string,
    private readonly client: string,
  ) {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** A trace for `client` when the environment asks for one. */
  static fromEnv(client: string): LatencyTrace | undefined {
    const dir = process.env[LATENCY_TRACE_ENV];
    return dir ? new LatencyTrace(dir, client) : undefined;
  }

  /** A counted message arrived now, `latencyNs` after it was sent. */
  sample(latencyNs: number): void {
    const now = performance.now();
    this.origin ??= now;
    this.samples.push([now - this.origin, latencyNs / 1000]);
  }

  /** Stops observing and writes the file. */
  write(): void {
    this.observer.disconnect();
    const origin = this.origin ?? 0;
    const file: LatencyTraceFile = {
      client: this.client,
      samples: this.samples,
      pauses: this.pauses.map(([start, duration, kind]) => [start - origin, duration, kind]),
    };
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, `${this.client}-${process.pid}.json`), JSON.stringify(file));
  }
}
