import { Subscription } from 'rxjs';
import { Admin, eventually, newClient } from './support';

const admin = new Admin();
afterAll(() => admin.close());

describe('RedisCluster at scale', () => {
  it('should subscribe 10,000 channels across all masters, deliver one message on each, and close every connection', async () => {
    const { rc, name } = newClient();
    const channels = Array.from({ length: 10_000 }, (_, i) => `scale:${i}`);
    const received = new Map<string, number>();
    const subs: Subscription[] = channels.map((ch) =>
      rc.fromChannel(ch).subscribe((m) => received.set(String(m.channel), (received.get(String(m.channel)) ?? 0) + 1)),
    );
    await rc.whenSettled();
    const perNode = await admin.pubsubClients(name);
    expect(perNode.size).toBe((await admin.nodes('master')).length);
    let counted = 0;
    for (const master of await admin.nodes('master')) {
      counted += ((await master.call('PUBSUB', 'CHANNELS', 'scale:*')) as string[]).length;
    }
    expect(counted).toBe(10_000);
    const pipeline = channels.map((ch) => rc.publish(ch, 'one'));
    expect((await Promise.all(pipeline)).every((n) => n === 1)).toBe(true);
    await eventually(() => received.size, (n) => n === 10_000);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
    subs.forEach((s) => s.unsubscribe());
    await rc.whenSettled();
    expect(rc.subscriberConnections).toEqual([]);
    await eventually(() => admin.pubsubClients(name), (m) => m.size === 0);
    await rc.close();
  });
});
