import Redis from 'ioredis';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import { keySlot, type PubSubMessage } from '../src';
import { Admin, eventually, namesPerMaster, newClient } from './support';

const admin = new Admin();
afterAll(() => admin.close());

describe('S4 no race', () => {
  it('should deliver exactly once a message published from any node once subscribe resolves', async () => {
    const { rc } = newClient();
    const masters = await admin.nodes('master');
    for (let round = 0; round < 15; round++) {
      const ps = rc.pubsub({ ignoreSubscribeMessages: true });
      const channel = `s4:${round}`;
      await ps.subscribe(channel);
      // Published at once, through every master: the cluster bus carries it to the owner.
      await Promise.all(masters.map((m, i) => m.publish(channel, `${round}-${i}`)));
      const got: string[] = [];
      for (let i = 0; i < masters.length; i++) {
        const message = await ps.getMessage({ timeout: 5000 });
        got.push(String(message?.data));
      }
      expect(got.sort()).toEqual(masters.map((_, i) => `${round}-${i}`));
      expect(await ps.getMessage({ timeout: 100 })).toBeNull();
      await ps.close();
    }
    await rc.close();
  });

  it('should tell when a stream is active with a subscribe message before any payload', async () => {
    const { rc } = newClient();
    const seen = firstValueFrom(rc.fromChannel('s4:active', { ignoreSubscribeMessages: false }).pipe(take(2), toArray()));
    await eventually(() => rc.pubsubNumsub('s4:active'), (r) => r[0]![1] === 1);
    await rc.publish('s4:active', 'payload');
    const [first, second] = await seen;
    expect(first).toMatchObject({ type: 'subscribe', channel: 's4:active' });
    expect(second).toEqual({ type: 'message', pattern: null, channel: 's4:active', data: 'payload' });
    await rc.close();
  });
});

describe('S4 confirmation before messages', () => {
  it('should confirm every stream before its first message while messages race the subscribe replies', async () => {
    const { rc } = newClient();
    // One SUBSCRIBE per node carries ~1,000 names; ioredis resolves it after the last reply, while
    // messages for the names confirmed first already arrive behind their replies.
    const names = Array.from({ length: 3000 }, (_, i) => `s4:race:${i}`);
    const [master] = await admin.nodes('master');
    const publisher = new Redis({ host: master!.options.host, port: master!.options.port });
    let flooding = true;
    const flood = (async () => {
      while (flooding) {
        const pipeline = publisher.pipeline();
        for (const name of names.slice(0, 60)) pipeline.publish(name, 'x');
        await pipeline.exec();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const first = new Map<string, string>();
    const messaged = new Set<string>();
    const subs = names.map((name) =>
      rc.fromChannel(name, { ignoreSubscribeMessages: false }).subscribe((m) => {
        if (!first.has(name)) first.set(name, m.type);
        if (m.type === 'message') messaged.add(name);
      }),
    );
    try {
      await rc.whenSettled();
      await eventually(
        () => names.slice(0, 60).filter((n) => messaged.has(n)).length,
        (n) => n === 60,
      );
    } finally {
      flooding = false;
      await flood;
    }
    expect(first.size).toBe(names.length);
    expect([...first].filter(([, type]) => type !== 'subscribe')).toEqual([]);
    subs.forEach((s) => s.unsubscribe());
    publisher.disconnect();
    await rc.close();
  });
});

describe('S5 patterns', () => {
  it('should receive matching messages published to channels in every slot owner', async () => {
    const { rc } = newClient();
    const channels = [...(await namesPerMaster(admin, 's5.news', 2)).values()].flat();
    const expected = channels.length;
    const got = firstValueFrom(rc.fromPattern('s5.news*').pipe(take(expected), toArray()));
    await rc.whenSettled();
    for (const ch of channels) await rc.publish(ch, `for ${ch}`);
    const messages = await got;
    expect(messages.map((m) => m.channel).sort()).toEqual([...channels].sort());
    for (const m of messages) expect(m).toEqual({ type: 'pmessage', pattern: 's5.news*', channel: m.channel, data: `for ${String(m.channel)}` });
    await rc.close();
  });
});

describe('S6 sharded', () => {
  it('should split names spanning slots and nodes per slot, without CROSSSLOT', async () => {
    const { rc } = newClient();
    const names = Array.from({ length: 60 }, (_, i) => `s6:{${i}}:orders`);
    expect(new Set(names.map((n) => keySlot(n))).size).toBeGreaterThan(30);
    const ps = rc.pubsub({ ignoreSubscribeMessages: true });
    await ps.ssubscribe(...names);
    for (const name of names) expect(await rc.spublish(name, `paid ${name}`)).toBe(1);
    const got: PubSubMessage[] = [];
    for (let i = 0; i < names.length; i++) got.push((await ps.getMessage({ timeout: 5000 }))!);
    expect(got.map((m) => m.channel).sort()).toEqual([...names].sort());
    expect(got.every((m) => m.type === 'smessage' && m.data === `paid ${String(m.channel)}`)).toBe(true);
    expect(rc.subscriberConnections).toHaveLength(3);
    await ps.close();
    await rc.close();
  });

  it('should unsubscribe sharded names of several slots left in one tick, one SUNSUBSCRIBE per slot', async () => {
    const { rc } = newClient();
    // Names of three slots on one node, and one more name there that stays subscribed.
    const [port, names] = [...(await namesPerMaster(admin, 's6:leave', 4)).entries()][0]!;
    const [stays, ...leave] = names;
    const kept = rc.fromShardChannel(stays!).subscribe();
    const subs = leave.map((name) => rc.fromShardChannel(name).subscribe());
    await rc.whenSettled();
    const node = await admin.node(port);
    const counts = async (): Promise<number[]> =>
      ((await node.call('PUBSUB', 'SHARDNUMSUB', ...names)) as (string | number)[])
        .filter((_, i) => i % 2 === 1)
        .map(Number);
    expect(await counts()).toEqual([1, 1, 1, 1]);
    subs.forEach((s) => s.unsubscribe()); // one tick: one plan for all three
    await rc.whenSettled();
    // A SUNSUBSCRIBE spanning slots is refused (CROSSSLOT): the server would keep all three.
    expect(await counts()).toEqual([1, 0, 0, 0]);
    kept.unsubscribe();
    await rc.close();
  });

  it('should keep classic messages flowing when the last sharded name of a node leaves', async () => {
    const { rc } = newClient();
    const both = 's6:{mix}';
    const classic = rc.fromChannel(both).pipe(filter((m) => m.type === 'message'));
    const got: unknown[] = [];
    const sub = classic.subscribe((m) => got.push(m.data));
    const shard = rc.fromShardChannel(both).subscribe();
    await rc.whenSettled();
    shard.unsubscribe();
    await rc.whenSettled();
    await rc.publish(both, 'still here');
    await eventually(() => got, (l) => l.length === 1);
    sub.unsubscribe();
    await rc.close();
  });

  it('should accept names whose slot cluster-key-slot computes wrongly ({} first)', async () => {
    const { rc } = newClient();
    const name = 'abc{}{def}';
    const got = firstValueFrom(rc.fromShardChannel(name));
    await rc.whenSettled();
    const raw = new Redis({ port: await admin.ownerPort(name), lazyConnect: true });
    expect(Number(await raw.call('CLUSTER', 'KEYSLOT', name))).toBe(keySlot(name));
    raw.disconnect();
    expect(await rc.spublish(name, 'ok')).toBe(1);
    expect((await got).data).toBe('ok');
    await rc.close();
  });
});
