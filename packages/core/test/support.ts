import Redis, { Cluster } from 'ioredis';
import { RedisCluster, type RedisClusterOptions } from '../src';

/** The cluster the Jest global setup started (or REDIS_CLUSTER_NODES named). */
export function startupNodes(): { host: string; port: number }[] {
  const spec = process.env.REDIS_CLUSTER_NODES;
  if (!spec) throw new Error('REDIS_CLUSTER_NODES is not set: run the tests through the root jest config');
  return spec.split(',').map((hp) => {
    const [host = '127.0.0.1', port = '0'] = hp.trim().split(':');
    return { host, port: Number(port) };
  });
}

let clientIds = 0;

/** A client whose connections carry a name of their own, so CLIENT LIST can count exactly them. */
export function newClient(options: Partial<RedisClusterOptions> = {}): { rc: RedisCluster; name: string } {
  const name = `cps-test-${process.pid}-${++clientIds}`;
  const rc = new RedisCluster({
    startupNodes: startupNodes(),
    ...options,
    redisOptions: { ...options.redisOptions, connectionName: name },
  });
  return { rc, name };
}

/** Admin access to every node of the cluster. */
export class Admin {
  readonly cluster = new Cluster(startupNodes(), { lazyConnect: true });
  private connected: Promise<void> | undefined;

  async nodes(role: 'all' | 'master' | 'slave' = 'all'): Promise<Redis[]> {
    this.connected ??= this.cluster.connect();
    await this.connected;
    return this.cluster.nodes(role);
  }

  /** Pub/sub connections named `name`, per node port. */
  async pubsubClients(name: string): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const node of await this.nodes('all')) {
      const list = (await node.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
      const count = list.split('\n').filter((line) => line.includes(` name=${name} `)).length;
      if (count > 0) out.set(Number(node.options.port), count);
    }
    return out;
  }

  /** Total connections (any type) named `name` over the whole cluster. */
  async connectionsNamed(name: string): Promise<number> {
    let total = 0;
    for (const node of await this.nodes('all')) {
      const list = (await node.call('CLIENT', 'LIST')) as string;
      total += list.split('\n').filter((line) => line.includes(` name=${name} `)).length;
    }
    return total;
  }

  /** The port of the master that owns `name`'s slot, as the server computes it. */
  async ownerPort(name: string | Buffer): Promise<number> {
    const [any] = await this.nodes('master');
    const slot = Number(await any!.call('CLUSTER', 'KEYSLOT', name));
    const ranges = (await any!.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    return Number(range![2][1]);
  }

  /** A connection to one node by port. */
  async node(port: number): Promise<Redis> {
    const found = (await this.nodes('all')).find((n) => Number(n.options.port) === port);
    if (!found) throw new Error(`no node on port ${port}`);
    return found;
  }

  async close(): Promise<void> {
    this.cluster.disconnect();
  }
}

/** Polls until `check` holds, or fails with the last value seen. */
export async function eventually<T>(read: () => Promise<T> | T, check: (v: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  let last = await read();
  while (!check(last)) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
    last = await read();
  }
  return last;
}

/** Names whose slots are owned by each master: `count` per master. */
export async function namesPerMaster(admin: Admin, prefix: string, count: number): Promise<Map<number, string[]>> {
  const masters = (await admin.nodes('master')).map((n) => Number(n.options.port));
  const out = new Map<number, string[]>(masters.map((p) => [p, []]));
  for (let i = 0; [...out.values()].some((l) => l.length < count); i++) {
    const name = `${prefix}:${i}`;
    const list = out.get(await admin.ownerPort(name))!;
    if (list.length < count) list.push(name);
  }
  return out;
}
