import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  InvalidClusterOperationError,
  RedisServerNotFoundError,
  SLOT_COUNT,
  startCluster,
  type HostPort,
  type LocalCluster,
} from '../src';
import { eventually, processesOf } from './test-support';

const FIXTURES = join(__dirname, 'fixtures');

describe('startCluster', () => {
  describe('with 2 masters and 2 replicas each', () => {
    let cluster: LocalCluster;
    beforeAll(async () => {
      cluster = await startCluster({ masters: 2, replicasPerMaster: 2 });
    });
    afterAll(() => cluster.stop());

    it('should give every master its share of the slots and every replica a master', async () => {
      const nodes = await cluster.describe();
      const masters = nodes.filter((node) => node.role === 'master');
      expect(nodes).toHaveLength(6);
      expect(masters).toHaveLength(2);
      expect(masters.flatMap((node) => node.slots).reduce((sum, [a, b]) => sum + b - a + 1, 0)).toBe(
        SLOT_COUNT,
      );
      for (const master of masters) {
        expect(nodes.filter((node) => node.masterId === master.id)).toHaveLength(2);
      }
      expect(nodes.every((node) => node.alive && node.pid !== null)).toBe(true);
    });

    it('should resolve only once every node is ok and lists every node in CLUSTER SLOTS', async () => {
      const ids = new Set((await cluster.describe()).map((node) => node.id));
      for (const node of cluster.startupNodes) {
        await withClient(node, async (client) => {
          expect(await client.call('CLUSTER', 'INFO')).toContain('cluster_state:ok');
          const slots = (await client.call('CLUSTER', 'SLOTS')) as unknown[][];
          const listed = new Set(
            slots.flatMap((range) => range.slice(2).map((n) => String((n as unknown[])[2]))),
          );
          expect(listed).toEqual(ids);
        });
      }
    });
  });

  it('should leave no process and no directory behind after stop, even when called twice', async () => {
    const cluster = await startCluster({ masters: 1, replicasPerMaster: 1 });
    const { dir } = cluster;
    expect(processesOf(dir).length).toBeGreaterThanOrEqual(2);
    await cluster.stop();
    await cluster.stop();
    expect(processesOf(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    await expect(cluster.describe()).rejects.toBeInstanceOf(InvalidClusterOperationError);
  });

  it('should stop the cluster at the end of an await using block', async () => {
    let dir = '';
    {
      await using cluster = await startCluster({ masters: 1, replicasPerMaster: 0 });
      dir = cluster.dir;
    }
    expect(existsSync(dir)).toBe(false);
    expect(processesOf(dir)).toEqual([]);
  });

  it('should run two clusters side by side on different ports', async () => {
    const [a, b] = await Promise.all([
      startCluster({ masters: 3, replicasPerMaster: 0 }),
      startCluster({ masters: 3, replicasPerMaster: 0 }),
    ]);
    try {
      const ports = [...a.startupNodes, ...b.startupNodes].map((node) => node.port);
      expect(new Set(ports).size).toBe(6);
      const [ownerA, ownerB] = await Promise.all([a.masterOf('key'), b.masterOf('key')]);
      await withClient(ownerA, (client) => client.set('key', 'a'));
      await withClient(ownerB, async (client) => expect(await client.get('key')).toBeNull());
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('should say how to install redis-server when it is missing', async () => {
    const started = startCluster({ redisServerPath: '/nonexistent/redis-server' });
    await expect(started).rejects.toBeInstanceOf(RedisServerNotFoundError);
    await expect(started).rejects.toThrow('apt-get update && apt-get install -y redis-server redis-tools');
  });

  it('should reject impossible sizes before starting anything', async () => {
    await expect(startCluster({ masters: 0 })).rejects.toBeInstanceOf(InvalidClusterOperationError);
    await expect(startCluster({ replicasPerMaster: 1.5 })).rejects.toBeInstanceOf(
      InvalidClusterOperationError,
    );
  });

  it('should kill the nodes of a SIGKILLed owner, and remove its directory at the next start', async () => {
    const owner = spawn(process.execPath, ['--import', 'tsx', join(FIXTURES, 'owner-that-dies.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((done) =>
      owner.stdout.once('data', (chunk: Buffer) => done(String(chunk))),
    );
    const { dir } = JSON.parse(line) as { dir: string };
    expect(processesOf(dir).length).toBeGreaterThan(0);

    owner.kill('SIGKILL');
    // The watchdog polls its owner once a second.
    expect(await eventually(() => processesOf(dir).length === 0, 5000)).toBe(true);
    expect(existsSync(dir)).toBe(true);

    await (await startCluster({ masters: 1, replicasPerMaster: 0 })).stop();
    expect(existsSync(dir)).toBe(false);
  });
});

async function withClient<T>(node: HostPort, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({ host: node.host, port: node.port, lazyConnect: true });
  try {
    return await use(client);
  } finally {
    await client.quit();
  }
}
