import type { Cluster } from 'ioredis';
import { SlotMapWatch } from './slot-map-watch';

describe('SlotMapWatch', () => {
  it('should hand over to the full refresh the first time and when the map changed, not otherwise', async () => {
    const cluster = new FakeCluster();
    const { watch, refreshes } = watching(cluster);
    await watch.tick();
    expect(refreshes()).toBe(1); // nothing seen yet
    await watch.tick();
    await watch.tick();
    expect(refreshes()).toBe(1);
    cluster.reply = [[0, 16383, ['127.0.0.1', 7001, 'id1']]]; // a failover: another master
    await watch.tick();
    expect(refreshes()).toBe(2);
    await watch.tick();
    expect(refreshes()).toBe(2);
  });

  it('should take the map ioredis loaded as seen, so the first look refreshes only if it differs', async () => {
    const cluster = new FakeCluster();
    const { watch, refreshes } = watching(cluster);
    cluster.emit('refresh'); // ioredis's own refresh at connect
    await watch.tick();
    expect(refreshes()).toBe(0);
    // The server moved half the slots; ioredis still holds the old map.
    cluster.reply = [RANGE_A, RANGE_B];
    await watch.tick();
    expect(refreshes()).toBe(1);
  });

  it('should read ranges, replicas and uncovered slots of the loaded map as CLUSTER SLOTS lists them', async () => {
    const cluster = new FakeCluster();
    cluster.reply = [
      [8192, 15999, ['127.0.0.1', 7001, 'id1'], ['127.0.0.1', 7004, 'id4']],
      RANGE_A,
      [16000, 16383, ['127.0.0.1', 7002, 'id2']],
    ];
    const answer = (): Promise<unknown> => Promise.resolve(cluster.reply);
    cluster.ready.push(...[7001, 7004, 7002].map((port) => node('127.0.0.1', port, 'ready', answer)));
    const a = ['127.0.0.1:7000'];
    const b = ['127.0.0.1:7001', '127.0.0.1:7004'];
    const c = ['127.0.0.1:7002'];
    cluster.slots = Array.from({ length: 16384 }, (_, slot) => (slot <= 8191 ? a : slot <= 15999 ? [...b] : c));
    const { watch, refreshes } = watching(cluster);
    cluster.emit('refresh');
    await watch.tick();
    expect(refreshes()).toBe(0); // per-slot copies of one list still make one range
    cluster.slots = cluster.slots.map((owners, slot) => (slot >= 16000 ? (undefined as unknown as string[]) : owners));
    cluster.emit('refresh'); // ioredis now holds 16000-16383 uncovered; the server does not
    await watch.tick();
    expect(refreshes()).toBe(1);
  });

  it('should not mind the order in which the server lists the ranges', async () => {
    const cluster = new FakeCluster();
    cluster.reply = [RANGE_A, RANGE_B];
    const { watch, refreshes } = watching(cluster);
    await watch.tick();
    cluster.reply = [RANGE_B, RANGE_A];
    await watch.tick();
    expect(refreshes()).toBe(1);
  });

  it('should refresh in full when CLUSTER SLOTS fails or no master is ready', async () => {
    const cluster = new FakeCluster();
    const { watch, refreshes } = watching(cluster);
    await watch.tick();
    cluster.fail = true;
    await watch.tick();
    expect(refreshes()).toBe(2);
    cluster.fail = false;
    cluster.masterStatus = 'connecting';
    await watch.tick();
    expect(refreshes()).toBe(3);
  });

  it('should refresh in full when a node of the map lost its command connection', async () => {
    const cluster = new FakeCluster();
    const { watch, refreshes } = watching(cluster);
    await watch.tick();
    cluster.masterStatus = 'end';
    cluster.ready.push(node('127.0.0.1', 7009, 'ready')); // a master to ask, but 7000 has ended
    await watch.tick();
    expect(refreshes()).toBe(2);
  });

  it("should see a node that a MOVED answer wrote into a range's list after the last refresh", async () => {
    const cluster = new FakeCluster();
    const { watch, refreshes } = watching(cluster);
    cluster.emit('refresh');
    await watch.tick();
    expect(refreshes()).toBe(0);
    // ioredis rewrites the range's shared list in place on MOVED, without a 'refresh' yet.
    cluster.slots[0]![0] = '127.0.0.1:7009'; // a node with no command connection
    await watch.tick();
    expect(refreshes()).toBe(1);
  });

  it('should refresh again when the refresh loaded an older map than the one asked for (mid-failover)', async () => {
    const cluster = new FakeCluster();
    let stale = true;
    const before = cluster.reply;
    const after = [[0, 16383, ['127.0.0.1', 7001, 'id1'], ['127.0.0.1', 7000, 'id0']]];
    const { watch, refreshes } = watching(cluster, loading(cluster, () => (stale ? before : after)));
    cluster.emit('refresh');
    cluster.reply = after; // the master asked already knows; the node ioredis reads does not yet
    await watch.tick();
    expect(refreshes()).toBe(1);
    expect(cluster.slots[0]).toEqual(['127.0.0.1:7000']);
    stale = false;
    await watch.tick(); // ioredis still holds the old map: look again
    expect(refreshes()).toBe(2);
    expect(cluster.slots[0]).toEqual(['127.0.0.1:7001', '127.0.0.1:7000']);
    await watch.tick();
    expect(refreshes()).toBe(2);
  });

  it('should read CLUSTER SLOTS through natMap and without hostless nodes, as ioredis loads it', async () => {
    for (const natMap of [
      { '10.0.0.1:7000': { host: '127.0.0.1', port: 17000 } },
      (key: string) => (key === '10.0.0.1:7000' ? { host: '127.0.0.1', port: 17000 } : undefined),
    ]) {
      const cluster = new FakeCluster();
      cluster.options.natMap = natMap;
      cluster.reply = [[0, 16383, ['10.0.0.1', 7000, 'id0'], ['', 7003, 'id3']]];
      const { watch, refreshes } = watching(cluster);
      await watch.tick();
      expect(cluster.slots[0]).toEqual(['127.0.0.1:17000']);
      await watch.tick();
      await watch.tick();
      expect(refreshes()).toBe(1);
    }
  });

  it('should skip a tick while a look is still in flight, and look only while the cluster is ready', async () => {
    const cluster = new FakeCluster();
    let release: () => void = () => undefined;
    const { watch, refreshes } = watching(cluster, () => new Promise<void>((resolve) => (release = resolve)));
    const first = watch.tick();
    await new Promise((resolve) => setImmediate(resolve)); // the first look is refreshing now
    await watch.tick(); // skipped: the first is still in flight
    release();
    await first;
    expect(refreshes()).toBe(1);
    cluster.status = 'reconnecting';
    cluster.reply = [RANGE_B];
    await watch.tick();
    expect(refreshes()).toBe(1);
  });
});

const RANGE_A = [0, 8191, ['127.0.0.1', 7000, 'id0']];
const RANGE_B = [8192, 16383, ['127.0.0.1', 7001, 'id1'], ['127.0.0.1', 7004, 'id4']];

/** What SlotMapWatch reads of an ioredis Cluster: status, nodes and the slot map. */
class FakeCluster {
  status = 'ready';
  options: { natMap?: unknown } = {};
  reply: unknown[] = [[0, 16383, ['127.0.0.1', 7000, 'id0']]];
  fail = false;
  masterStatus = 'ready';
  ready: ReturnType<typeof node>[] = [];
  slots: string[][] = new Array<string[]>(16384).fill(['127.0.0.1:7000']);
  private readonly listeners: Record<string, (() => void)[]> = {};

  on(event: string, listener: () => void): void {
    (this.listeners[event] ??= []).push(listener);
  }

  emit(event: string): void {
    for (const listener of this.listeners[event] ?? []) listener();
  }

  /**
   * Loads a CLUSTER SLOTS reply as ioredis does: each listed range gets its nodes' addresses
   * (natMap applied, hostless nodes skipped), and a node new to the map gets a connection; slots
   * not listed keep what they had.
   */
  load(reply: unknown[]): void {
    const natMap = this.options.natMap as ((key: string) => { host: string; port: number } | undefined) | Record<string, { host: string; port: number }> | undefined;
    for (const range of reply as [number, number, ...[string, number, string][]][]) {
      const keys: string[] = [];
      for (const [host, port] of range.slice(2) as [string, number, string][]) {
        if (!host) continue;
        const key = `${host}:${port}`;
        const mapped = typeof natMap === 'function' ? natMap(key) : natMap?.[key];
        const loaded = mapped ?? { host, port };
        keys.push(`${loaded.host}:${loaded.port}`);
        if (!this.nodes().some((n) => n.options.host === loaded.host && n.options.port === loaded.port)) {
          this.ready.push(node(loaded.host, loaded.port, 'ready', () => Promise.resolve(this.reply)));
        }
      }
      for (let slot = range[0]; slot <= range[1]; slot++) this.slots[slot] = keys;
    }
  }

  nodes(): ReturnType<typeof node>[] {
    const master = node('127.0.0.1', 7000, this.masterStatus, () => (this.fail ? Promise.reject(new Error('down')) : Promise.resolve(this.reply)));
    return [master, ...this.ready];
  }
}

function node(host: string, port: number, status: string, call: () => Promise<unknown> = () => Promise.resolve([])) {
  return { status, options: { host, port }, call };
}

/** ioredis's full refresh: it loads what some node answers (`reply` unless told) and says so. */
function loading(cluster: FakeCluster, answer: () => unknown[] = () => cluster.reply): () => Promise<void> {
  return () => {
    cluster.load(answer());
    cluster.emit('refresh');
    return Promise.resolve();
  };
}

function watching(cluster: FakeCluster, refresh: () => Promise<void> = loading(cluster)) {
  let count = 0;
  const watch = new SlotMapWatch(
    cluster as unknown as Cluster,
    1000,
    500,
    () => {
      count++;
      return refresh();
    },
    (key) => cluster.nodes().some((n) => `${n.options.host}:${n.options.port}` === key && n.status !== 'end'),
  );
  return { watch, refreshes: () => count };
}
