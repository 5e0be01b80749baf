import type { HostPort } from '@cluster-pubsub/testing';

/** What the bench asks a client process to do; each request gets exactly one reply. */
export type Request =
  | { op: 'open'; clientId: string; nodes: HostPort[] }
  | { op: 'churn'; sizes: number[]; memoryChannels: number }
  | { op: 'latency'; channel: string; rate: number; durationMs: number; payloadBytes: number }
  | { op: 'listen'; channel: string }
  | { op: 'expect'; count: number }
  | { op: 'report' }
  /** Blocks the event loop until `flagFile` exists: a pause the CPU profiler can see through. */
  | { op: 'block'; flagFile: string }
  /** Closes the client and exits (no reply: the bench waits for the exit). */
  | { op: 'close' };

/** Replies, and the one unsolicited `received` that ends an `expect`. */
export type Reply =
  | { op: 'ok' }
  | { op: 'failed'; message: string }
  | { op: 'churn'; result: ChurnResult }
  | { op: 'latency'; result: LatencyResult }
  | { op: 'received'; result: ReceivedResult };

/**
 * Milliseconds until every channel is confirmed, per form; absent where the API has no batch form,
 * Infinity past the cap, NaN when skipped after a capped pass.
 */
export interface ChurnSizeResult {
  eachSubscribeMs: number;
  /** Of eachSubscribeMs, the collector's pauses (see GcLog). */
  eachSubscribeGcMs?: number;
  eachUnsubscribeMs: number;
  batchSubscribeMs?: number;
  /** Of batchSubscribeMs, the collector's pauses. */
  batchSubscribeGcMs?: number;
  batchUnsubscribeMs?: number;
}

export interface MemoryResult {
  channels: number;
  /** heapUsed after gc with the channels subscribed, minus before, per channel. */
  bytesPerChannel: number;
  /** Pubsub connections per node port while the channels are subscribed. */
  connectionsPerNode: Record<string, number>;
}

export interface ChurnResult {
  sizes: Record<string, ChurnSizeResult>;
  /** Absent in runs that skip the memory workload. */
  memory?: MemoryResult;
}

export interface LatencyResult {
  p50Us: number;
  p99Us: number;
  maxUs: number;
  samples: number;
  lost: number;
}

export interface ReceivedResult {
  received: number;
  /** process.hrtime.bigint() (CLOCK_MONOTONIC, comparable across processes) as a decimal string. */
  firstAtNs: string;
  lastAtNs: string;
}
