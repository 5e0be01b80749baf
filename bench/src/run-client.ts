import type { HostPort } from '@cluster-pubsub/testing';
import { workloadsOf, type BenchClient } from './clients/bench-client';
import type { ChurnResult, LatencyResult } from './child/protocol';
import { ClientProcess } from './client-process';
import type { BenchOptions, Workload } from './options';
import type { Progress } from './progress';
import { Publisher } from './publisher';
import { measureDrain, type DrainResult } from './workloads/drain';
import { measureThroughput, type ThroughputResult } from './workloads/throughput';

/** Everything one run measured for one client; a workload that failed leaves its error instead. */
export interface ClientRunResult {
  churn?: ChurnResult;
  latency?: LatencyResult;
  throughput?: ThroughputResult;
  drain?: DrainResult;
  errors?: Partial<Record<Workload, string>>;
}

const LATENCY_CHANNEL = 'bench:latency';
const LIVE_CHANNEL = 'bench:live';

/** Runs the selected workloads for one client, in a fresh process of its own. */
export async function runClient(
  client: BenchClient,
  run: number,
  context: { nodes: readonly HostPort[]; options: BenchOptions; progress: Progress; track: (p: ClientProcess) => void },
): Promise<ClientRunResult> {
  const { nodes, options, progress } = context;
  const result: ClientRunResult = {};
  const payload = 'x'.repeat(options.payloadBytes);
  const child = await ClientProcess.start(client.id, nodes, {
    profileDir: options.profileDir,
    profileName: `${client.id}-run${run + 1}`,
  });
  context.track(child);
  let publisher: Publisher | undefined;
  try {
    for (const workload of workloadsOf(client, options.workloads)) {
      progress.step(`run ${run + 1}/${options.runs} · ${client.label} · ${workload}`);
      try {
        switch (workload) {
          case 'churn': {
            const first = run === 0;
            const sizes = [...options.churnSizes, ...(first ? options.firstRunChurnSizes : [])];
            const memoryChannels = first ? options.memoryChannels : 0;
            result.churn = (await child.request({ op: 'churn', sizes, memoryChannels }, 'churn')).result;
            break;
          }
          case 'latency': {
            const { latencyRate: rate, latencyMs: durationMs, payloadBytes } = options;
            const request = { op: 'latency', channel: LATENCY_CHANNEL, rate, durationMs, payloadBytes } as const;
            result.latency = (await child.request(request, 'latency')).result;
            break;
          }
          case 'throughput':
          case 'drain': {
            if (!publisher) {
              await child.request({ op: 'listen', channel: LIVE_CHANNEL });
              publisher = await Publisher.connect(nodes, LIVE_CHANNEL, client.kind);
            }
            const live = { channel: LIVE_CHANNEL, payload };
            if (workload === 'throughput') {
              result.throughput = await measureThroughput(child, publisher, { ...live, count: options.throughputMessages });
            } else {
              result.drain = await measureDrain(child, publisher, { ...live, count: options.drainMessages, nodes });
            }
            break;
          }
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        (result.errors ??= {})[workload] = message;
        progress.note(`${client.label} · ${workload} failed: ${message.split('\n')[0]}`);
      }
    }
  } finally {
    publisher?.close();
    await child.close();
  }
  return result;
}
