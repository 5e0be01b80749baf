import { Redis } from 'ioredis';
import {
  CLUSTER_NODES_ENV,
  clusterNodesFromEnv,
  clusterUnderTest,
  LocalClusterError,
  SLOT_COUNT,
} from '../src';
import { close } from './test-support';

// The cluster Jest's global setup provides to every test file. Only non-destructive calls here:
// other test files share it.

describe('clusterNodesFromEnv', () => {
  it('should read the nodes global setup published', () => {
    const nodes = clusterNodesFromEnv();
    expect(nodes.length).toBeGreaterThanOrEqual(3);
    expect(process.env[CLUSTER_NODES_ENV]).toBe(nodes.map(({ host, port }) => `${host}:${port}`).join(','));
  });

  it('should parse host:port lists and reject anything else', () => {
    expect(clusterNodesFromEnv({ [CLUSTER_NODES_ENV]: '127.0.0.1:7000, localhost:7001' })).toEqual([
      { host: '127.0.0.1', port: 7000 },
      { host: 'localhost', port: 7001 },
    ]);
    expect(() => clusterNodesFromEnv({})).toThrow(LocalClusterError);
    expect(() => clusterNodesFromEnv({ [CLUSTER_NODES_ENV]: '127.0.0.1' })).toThrow(LocalClusterError);
    expect(() => clusterNodesFromEnv({ [CLUSTER_NODES_ENV]: '127.0.0.1:99999' })).toThrow(LocalClusterError);
  });
});

describe('clusterUnderTest', () => {
  const cluster = clusterUnderTest();

  it('should describe a stable cluster whose masters serve every slot', async () => {
    const nodes = await cluster.waitForStable();
    expect(nodes.every((node) => node.alive)).toBe(true);
    const served = (await cluster.masters()).flatMap((node) => node.slots);
    expect(served.reduce((sum, [a, b]) => sum + b - a + 1, 0)).toBe(SLOT_COUNT);
  });

  it('should find the master that serves a key as the server computes its slot', async () => {
    const owner = await cluster.masterOf('{user:42}:orders');
    const client = new Redis({ ...owner, lazyConnect: true });
    try {
      const slot = Number(await client.call('CLUSTER', 'KEYSLOT', '{user:42}:orders'));
      expect(await cluster.masterOf(slot)).toEqual(owner);
      expect(await client.call('CLUSTER', 'COUNTKEYSINSLOT', slot)).toBe(0); // answered, not MOVED
    } finally {
      client.disconnect();
    }
  });

  it('should count and kill one client picked by address, leaving the others', async () => {
    const node = await cluster.masterOf('news');
    const [target, bystander] = [0, 1].map(() => new Redis({ ...node, retryStrategy: () => null }));
    try {
      // Asked before subscribing: a subscribed connection only takes (UN)SUBSCRIBE, PING and QUIT.
      const addr = /addr=(\S+)/.exec(String(await target!.call('CLIENT', 'INFO')))?.[1];
      await Promise.all([target!.subscribe('news'), bystander!.subscribe('news')]);
      const before = await cluster.countClients(node.port, 'pubsub');
      const ended = new Promise((done) => target!.once('end', done));
      expect(await cluster.killClients(node.port, { addr: addr! })).toBe(1);
      await ended;
      expect(await cluster.countClients(node.port, 'pubsub')).toBe(before - 1);
      expect(bystander!.status).toBe('ready');
    } finally {
      [target!, bystander!].forEach(close);
    }
  });
});
