import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  InvalidClusterOperationError,
  startCluster,
  type HostPort,
  type LocalCluster,
  type NodeInfo,
} from '../src';
import { close, isRunning, processesOf } from './test-support';

// These tests reshape the topology, so they get a cluster of their own rather than the shared one.
// A short node timeout keeps kill() (failure detection + election) at a few seconds.
let cluster: LocalCluster;
beforeAll(async () => {
  cluster = await startCluster({ masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 1000 });
});
afterAll(() => cluster.stop());

describe('ClusterController', () => {
  describe('failover', () => {
    it('should promote the replica on the given port', async () => {
      const [master] = await cluster.masters();
      const [replica] = await cluster.replicasOf(master!.port);
      const promoted = await cluster.failover(replica!.port);
      expect(promoted.port).toBe(replica!.port);
      expect(await role(replica!)).toBe('master');
      expect(await role(master!)).toBe('slave');
      expect(byPort(await cluster.describe(), master!.port).masterId).toBe(replica!.id);
    });

    it('should promote the replica of the given master', async () => {
      const [, master] = await cluster.masters();
      const [replica] = await cluster.replicasOf(master!.port);
      const promoted = await cluster.failover(master!.port);
      expect(promoted.port).toBe(replica!.port);
      expect(byPort(await cluster.describe(), replica!.port).slots).toEqual(master!.slots);
    });

    it('should refuse a port the cluster does not have', async () => {
      await expect(cluster.failover(1)).rejects.toBeInstanceOf(InvalidClusterOperationError);
    });
  });

  describe('kill, then restart', () => {
    // One scenario in steps: restart brings back the very node kill took down.
    let victim: NodeInfo;
    let heir: NodeInfo;

    it('should SIGKILL a master and resolve once its replica serves its slots', async () => {
      victim = (await cluster.masters())[0]!;
      heir = (await cluster.replicasOf(victim.port))[0]!;
      const { killed, promoted } = await cluster.kill(victim!.port);
      expect(killed.port).toBe(victim.port);
      expect(promoted?.port).toBe(heir.port);
      expect(isRunning(victim.pid!)).toBe(false);
      expect(await role(heir)).toBe('master');
      const nodes = await cluster.describe();
      expect(byPort(nodes, victim.port)).toMatchObject({ alive: false, pid: null });
      expect(byPort(nodes, victim.port).flags).toContain('fail');
      expect(byPort(nodes, heir.port).slots).toEqual(victim.slots);
    });

    it('should bring the killed master back as a replica of its successor', async () => {
      const node = await cluster.restart(victim.port);
      expect(node).toMatchObject({ id: victim.id, role: 'replica', masterId: heir.id, alive: true });
      expect(node.pid).not.toBe(victim.pid);
      expect(await role(victim)).toBe('slave');
    });
  });

  describe('restart', () => {
    it('should restart a live master in place, keeping its node id and slots', async () => {
      const [master] = await cluster.masters();
      const node = await cluster.restart(master!.port);
      expect(node).toMatchObject({ id: master!.id, role: 'master', slots: master!.slots, alive: true });
      expect(node.pid).not.toBe(master!.pid);
      expect(isRunning(master!.pid!)).toBe(false);
    });

    it('should tie a node restarted by another process to the cluster owner, not to that process', async () => {
      const [master] = await cluster.masters();
      const [replica] = await cluster.replicasOf(master!.port);
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(__dirname, 'fixtures', 'restart-from-another-process.ts'),
          String(replica!.port),
        ],
        {
          env: { ...process.env, REDIS_CLUSTER_NODES: `127.0.0.1:${master!.port}` },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
      expect(await new Promise((done) => child.once('exit', done))).toBe(0);
      const restarted = JSON.parse(output) as NodeInfo;
      expect(restarted).toMatchObject({ id: replica!.id, alive: true });
      // Outlives the restarting process by more than a watchdog period…
      await new Promise((done) => setTimeout(done, 1500));
      expect(isRunning(restarted.pid!)).toBe(true);
      // …and is still part of the cluster that stop() tears down.
      expect(processesOf(cluster.dir)).toContain(restarted.pid);
    });
  });

  describe('migrateSlot', () => {
    it('should move the slot and its keys to the target master', async () => {
      const key = 'migrating-key';
      const source = await cluster.masterOf(key);
      const slot = await withClient(source, async (client) => {
        await client.set(key, 'value');
        return Number(await client.call('CLUSTER', 'KEYSLOT', key));
      });
      const target = (await cluster.masters()).find((node) => node.port !== source.port)!;
      await cluster.migrateSlot(slot, target.port);
      expect((await cluster.masterOf(slot)).port).toBe(target.port);
      expect(await withClient(target, (client) => client.get(key))).toBe('value');
      await expect(withClient(source, (client) => client.get(key))).rejects.toThrow(`MOVED ${slot}`);
    });

    it('should refuse to give a slot to a replica', async () => {
      const replica = (await cluster.describe()).find((node) => node.role === 'replica')!;
      await expect(cluster.migrateSlot(0, replica.port)).rejects.toBeInstanceOf(InvalidClusterOperationError);
    });
  });

  describe('killClients', () => {
    it('should close every subscriber connection of a node and say how many', async () => {
      const node = await cluster.masterOf('news');
      const subscribers = [0, 1].map(() => new Redis({ ...node, retryStrategy: () => null }));
      try {
        await Promise.all(subscribers.map((client) => client.subscribe('news')));
        expect(await cluster.countClients(node.port, 'pubsub')).toBe(2);
        const closed = subscribers.map((client) => new Promise((done) => client.once('end', done)));
        expect(await cluster.killClients(node.port, { type: 'pubsub' })).toBe(2);
        await Promise.all(closed);
        expect(await cluster.countClients(node.port, 'pubsub')).toBe(0);
      } finally {
        subscribers.forEach(close);
      }
    });
  });

  describe('flushAll', () => {
    it('should empty every master', async () => {
      for (const key of ['a', 'b', 'c', 'd']) {
        await withClient(await cluster.masterOf(key), (client) => client.set(key, '1'));
      }
      await cluster.flushAll();
      for (const master of await cluster.masters()) {
        expect(await withClient(master, (client) => client.dbsize())).toBe(0);
      }
    });
  });
});

function byPort(nodes: NodeInfo[], port: number): NodeInfo {
  const node = nodes.find((candidate) => candidate.port === port);
  if (node === undefined) throw new Error(`no node on port ${port}`);
  return node;
}

function role(node: HostPort): Promise<string> {
  return withClient(node, async (client) => String(((await client.call('ROLE')) as unknown[])[0]));
}

async function withClient<T>(node: HostPort, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({ host: node.host, port: node.port, lazyConnect: true });
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}
