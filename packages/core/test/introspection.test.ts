import Redis from 'ioredis';
import { Admin, namesPerMaster, newClient } from './support';

const admin = new Admin();
afterAll(() => admin.close());

describe('S7 introspection', () => {
  it('should merge PUBSUB CHANNELS, NUMSUB and NUMPAT over every node, replicas included', async () => {
    const { rc } = newClient();
    const nodes = await admin.nodes('all');
    // Raw subscribers spread over every node (other clients put them anywhere): one each.
    const raws = nodes.map((n) => new Redis({ host: n.options.host, port: n.options.port }));
    await Promise.all(raws.map((r, i) => r.subscribe('s7:everywhere', `s7:only${i}`)));
    await Promise.all(raws.map((r) => r.psubscribe('s7:pat*')));
    const channels = await rc.pubsubChannels('s7:*');
    expect([...channels].sort()).toEqual(['s7:everywhere', ...nodes.map((_, i) => `s7:only${i}`)].sort());
    expect(await rc.pubsubNumsub('s7:everywhere', 's7:only0', 's7:none')).toEqual([
      ['s7:everywhere', nodes.length],
      ['s7:only0', 1],
      ['s7:none', 0],
    ]);
    expect(await rc.pubsubNumpat()).toBeGreaterThanOrEqual(nodes.length);
    raws.forEach((r) => r.disconnect());
    await rc.close();
  });

  it('should merge PUBSUB SHARDCHANNELS and SHARDNUMSUB over every node', async () => {
    const { rc } = newClient();
    const perMaster = await namesPerMaster(admin, 's7shard', 1);
    const shardNames = [...perMaster.values()].flat().map((n) => `{${n}}`);
    const subs = shardNames.map((n) => rc.fromShardChannel(n).subscribe());
    await rc.whenSettled();
    expect([...(await rc.pubsubShardchannels('{s7shard*'))].sort()).toEqual([...shardNames].sort());
    expect(await rc.pubsubShardnumsub(...shardNames, '{nobody}')).toEqual([
      ...shardNames.map((n) => [n, 1]),
      ['{nobody}', 0],
    ]);
    subs.forEach((s) => s.unsubscribe());
    await rc.close();
  });
});
