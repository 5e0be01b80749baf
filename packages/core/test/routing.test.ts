import { firstValueFrom, filter, merge, Subscription, take, toArray } from 'rxjs';
import { Admin, eventually, namesPerMaster, newClient } from './support';

const admin = new Admin();
afterAll(() => admin.close());

/** Subscribes and resolves once the server confirmed (the `subscribe` message). */
function active(rc: ReturnType<typeof newClient>['rc'], channel: string): Promise<Subscription> {
  return new Promise((resolve, reject) => {
    const sub: Subscription = rc
      .fromChannel(channel, { ignoreSubscribeMessages: false })
      .subscribe({ next: (m) => m.type === 'subscribe' && resolve(sub), error: reject });
  });
}

describe('S1 routing', () => {
  it('should subscribe each channel on the master that owns its slot', async () => {
    const { rc, name } = newClient();
    const perMaster = await namesPerMaster(admin, 's1', 2);
    const subs = await Promise.all([...perMaster.values()].flat().map((ch) => active(rc, ch)));
    for (const [port, channels] of perMaster) {
      const node = await admin.node(port);
      const counts = (await node.call('PUBSUB', 'NUMSUB', ...channels)) as (string | number)[];
      expect(counts.filter((_, i) => i % 2 === 1).map(Number)).toEqual(channels.map(() => 1));
    }
    const ports = [...(await admin.pubsubClients(name)).keys()].sort();
    expect(ports).toEqual([...perMaster.keys()].sort());
    subs.forEach((s) => s.unsubscribe());
    await rc.close();
  });

  it('should put all subscribers of a channel on one node, so publish counts them all', async () => {
    const clients = [newClient(), newClient(), newClient()];
    const subs = await Promise.all(clients.map(({ rc }) => active(rc, 's1:count')));
    expect(await clients[0]!.rc.publish('s1:count', 'x')).toBe(3);
    subs.forEach((s) => s.unsubscribe());
    await Promise.all(clients.map(({ rc }) => rc.close()));
  });
});

describe('S2 connections', () => {
  it('should open at most one subscriber connection per node, and close it with the last subscription', async () => {
    const { rc, name } = newClient();
    const channels = [...(await namesPerMaster(admin, 's2', 20)).values()].flat();
    const subs = channels.map((ch) => rc.fromChannel(ch).subscribe());
    await rc.whenSettled();
    const perNode = await admin.pubsubClients(name);
    expect(perNode.size).toBe(3);
    expect([...perNode.values()].every((n) => n === 1)).toBe(true);
    expect(rc.subscriberConnections).toHaveLength(3);
    subs.forEach((s) => s.unsubscribe());
    await rc.whenSettled();
    expect(rc.subscriberConnections).toEqual([]);
    await eventually(() => admin.pubsubClients(name), (m) => m.size === 0);
    await rc.close();
  });

  it('should carry channels, patterns and sharded channels of one node on its one connection', async () => {
    const { rc, name } = newClient();
    const channels = [...(await namesPerMaster(admin, 's2mix', 5)).values()].flat();
    const subs = channels.flatMap((ch) => [
      rc.fromChannel(ch).subscribe(),
      rc.fromPattern(`${ch}*`).subscribe(),
      rc.fromShardChannel(ch).subscribe(),
    ]);
    await rc.whenSettled();
    const perNode = await admin.pubsubClients(name);
    expect(perNode.size).toBe(3);
    expect([...perNode.values()].every((n) => n === 1)).toBe(true);
    expect(rc.subscriberConnections).toHaveLength(3);
    // All three kinds deliver over it.
    const got = firstValueFrom(merge(rc.fromChannel(channels[0]!), rc.fromShardChannel(channels[0]!)).pipe(take(2), toArray()));
    await rc.whenSettled();
    await rc.publish(channels[0]!, 'classic');
    await rc.spublish(channels[0]!, 'sharded');
    expect((await got).map((m) => m.type).sort()).toEqual(['message', 'smessage']);
    subs.forEach((s) => s.unsubscribe());
    await rc.whenSettled();
    expect(rc.subscriberConnections).toEqual([]);
    await eventually(() => admin.pubsubClients(name), (m) => m.size === 0);
    await rc.close();
  });

  it('should not open any connection before the first subscribe', async () => {
    const { rc, name } = newClient();
    const stream = rc.fromChannel('s2:lazy');
    await rc.publish('s2:other', 'x');
    expect(await admin.pubsubClients(name)).toEqual(new Map());
    const sub = stream.subscribe();
    await eventually(() => admin.pubsubClients(name), (m) => m.size === 1);
    sub.unsubscribe();
    await rc.close();
  });
});

describe('S3 sharing', () => {
  it('should send one SUBSCRIBE for many observers, and UNSUBSCRIBE when the last leaves', async () => {
    const { rc } = newClient();
    const owner = await admin.node(await admin.ownerPort('s3:shared'));
    const numsub = async () => Number(((await owner.call('PUBSUB', 'NUMSUB', 's3:shared')) as unknown[])[1]);
    const received: string[][] = [[], [], [], [], []];
    const subs = received.map((list) => rc.fromChannel('s3:shared').subscribe((m) => list.push(String(m.data))));
    await rc.whenSettled();
    expect(await numsub()).toBe(1);
    expect(await rc.publish('s3:shared', 'one')).toBe(1);
    await eventually(() => received.every((l) => l.length === 1), Boolean);
    expect(received).toEqual(received.map(() => ['one']));
    subs.slice(0, 4).forEach((s) => s.unsubscribe());
    await rc.whenSettled();
    expect(await numsub()).toBe(1);
    expect(await rc.publish('s3:shared', 'two')).toBe(1);
    await eventually(() => received[4]!.length === 2, Boolean);
    expect(received).toEqual([['one'], ['one'], ['one'], ['one'], ['one', 'two']]);
    subs[4]!.unsubscribe();
    await rc.whenSettled();
    expect(await numsub()).toBe(0);
    await rc.close();
  });

  it('should decode once per encoding for mixed observers, whichever leaves first', async () => {
    const { rc } = newClient();
    const owner = await admin.node(await admin.ownerPort('s3:mixed'));
    const numsub = async () => Number(((await owner.call('PUBSUB', 'NUMSUB', 's3:mixed')) as unknown[])[1]);
    const got: unknown[][] = [[], [], []];
    const first = rc.fromChannel('s3:mixed', { encoding: 'buffer' }).subscribe((m) => got[0]!.push(m.data));
    const messages: unknown[] = [];
    const second = rc.fromChannel('s3:mixed').subscribe((m) => (got[1]!.push(m.data), messages.push(m)));
    const third = rc.fromChannel('s3:mixed').subscribe((m) => (got[2]!.push(m.data), messages.push(m)));
    await rc.whenSettled();
    await rc.publish('s3:mixed', 'a');
    await eventually(() => got.every((l) => l.length === 1), Boolean);
    expect(got).toEqual([[Buffer.from('a')], ['a'], ['a']]);
    expect(messages[0]).toBe(messages[1]); // decoded once, shared by the two utf8 observers
    second.unsubscribe();
    third.unsubscribe(); // the first observer is the last one left
    await rc.whenSettled();
    expect(await numsub()).toBe(1);
    await rc.publish('s3:mixed', 'b');
    await eventually(() => got[0]!.length === 2, Boolean);
    first.unsubscribe();
    first.unsubscribe();
    await rc.whenSettled();
    expect(await numsub()).toBe(0);
    expect(got.map((l) => l.length)).toEqual([2, 1, 1]);
    await rc.close();
  });

  it('should let a late observer join an active subscription and see its confirmation', async () => {
    const { rc } = newClient();
    const first = rc.fromChannel('s3:late').subscribe();
    await rc.whenSettled();
    const confirmation = await firstValueFrom(
      rc.fromChannel('s3:late', { ignoreSubscribeMessages: false }).pipe(filter((m) => m.type === 'subscribe')),
    );
    expect(confirmation.channel).toBe('s3:late');
    const asBytes = await firstValueFrom(
      rc.fromChannel('s3:late', { ignoreSubscribeMessages: false, encoding: 'buffer' }).pipe(filter((m) => m.type === 'subscribe')),
    );
    expect(asBytes.channel).toEqual(Buffer.from('s3:late'));
    first.unsubscribe();
    await rc.close();
  });
});
