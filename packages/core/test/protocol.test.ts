import { firstValueFrom, take, toArray } from 'rxjs';
import { Admin, newClient } from './support';

const admin = new Admin();
afterAll(() => admin.close());

describe('RedisCluster over RESP3', () => {
  it('should subscribe, confirm and deliver channels, patterns and sharded channels on RESP3 connections', async () => {
    const { rc, name } = newClient({ redisOptions: { protocol: 3 } });
    const channel = firstValueFrom(rc.fromChannel('resp3:{a}ch', { ignoreSubscribeMessages: false }).pipe(take(2), toArray()));
    const pattern = firstValueFrom(rc.fromPattern('resp3:{a}*').pipe(take(1)));
    const shard = firstValueFrom(rc.fromShardChannel('resp3:{a}sh', { encoding: 'buffer' }).pipe(take(1)));
    await rc.whenSettled();
    const lists = await Promise.all((await admin.nodes('master')).map((n) => n.call('CLIENT', 'LIST', 'TYPE', 'pubsub')));
    const ours = lists.flatMap((list) => String(list).split('\n')).filter((line) => line.includes(`name=${name} `));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((line) => line.includes(' resp=3'))).toBe(true);
    expect(await rc.publish('resp3:{a}ch', 'classic')).toBe(2); // the channel and the pattern
    expect(await rc.spublish('resp3:{a}sh', Buffer.from([0xff, 0x00]))).toBe(1);
    const [confirmation, message] = await channel;
    expect(confirmation).toMatchObject({ type: 'subscribe', channel: 'resp3:{a}ch' });
    expect(message).toEqual({ type: 'message', pattern: null, channel: 'resp3:{a}ch', data: 'classic' });
    expect(await pattern).toEqual({ type: 'pmessage', pattern: 'resp3:{a}*', channel: 'resp3:{a}ch', data: 'classic' });
    expect((await shard).data).toEqual(Buffer.from([0xff, 0x00]));
    await rc.ping(); // a PING answered on RESP3 subscriber connections
    await rc.whenSettled();
    expect(rc.subscriberConnections).toEqual([]);
    await rc.close();
  });
});

describe('RedisCluster over RESP2', () => {
  it('should set its connections up with HELLO 2 and its name, and deliver', async () => {
    const { rc, name } = newClient({ redisOptions: { protocol: 2 } });
    const got = firstValueFrom(rc.fromChannel('resp2:{b}ch').pipe(take(1)));
    const shard = firstValueFrom(rc.fromShardChannel('resp2:{b}sh').pipe(take(1)));
    await rc.whenSettled();
    const lists = await Promise.all((await admin.nodes('master')).map((n) => n.call('CLIENT', 'LIST', 'TYPE', 'pubsub')));
    const ours = lists.flatMap((list) => String(list).split('\n')).filter((line) => line.includes(`name=${name} `));
    expect(ours.length).toBe(1);
    expect(ours[0]).toContain(' resp=2');
    expect(await rc.publish('resp2:{b}ch', 'two')).toBe(1);
    expect(await rc.spublish('resp2:{b}sh', 'shard')).toBe(1);
    expect((await got).data).toBe('two');
    expect((await shard).data).toBe('shard');
    await rc.close();
  });
});
