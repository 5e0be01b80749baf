import { attachCluster, type ClusterController, type HostPort } from '@cluster-pubsub/testing';
import type { MemoryResult } from '../child/protocol';

/**
 * Workload 5, inside the client's process (run with --expose-gc), around a pass that subscribes
 * N channels one call each and unsubscribes them: heapUsed after gc with the channels subscribed,
 * minus before, per channel; and the pubsub connections on each node meanwhile (CLIENT LIST TYPE
 * pubsub: the client's own, as it runs alone, the channel it listens to included).
 */
export class MemoryProbe {
  private heapWith = NaN;
  private during: Record<string, number> = {};
  private channels = 0;

  private constructor(
    private readonly cluster: ClusterController,
    private readonly nodes: readonly HostPort[],
    private readonly heapBefore: number,
  ) {}

  /** Takes the baseline: call before subscribing. */
  static start(nodes: readonly HostPort[]): MemoryProbe {
    return new MemoryProbe(attachCluster(nodes), nodes, settledHeap());
  }

  /** Call once the `channels` subscriptions are confirmed. */
  async loaded(channels: number): Promise<void> {
    this.channels = channels;
    this.heapWith = settledHeap();
    this.during = await pubsubConnections(this.cluster, this.nodes);
  }

  /** The result, once the pass is over. */
  result(): MemoryResult {
    const connectionsPerNode = Object.fromEntries(this.nodes.map(({ port }) => [port, this.during[port] ?? 0]));
    return { channels: this.channels, bytesPerChannel: (this.heapWith - this.heapBefore) / this.channels, connectionsPerNode };
  }
}

function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the memory workload needs node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function pubsubConnections(cluster: ClusterController, nodes: readonly HostPort[]): Promise<Record<string, number>> {
  const counts = await Promise.all(nodes.map(({ port }) => cluster.countClients(port, 'pubsub')));
  return Object.fromEntries(nodes.map(({ port }, i) => [port, counts[i] ?? 0]));
}
