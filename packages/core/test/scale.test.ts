import { Socket } from 'node:net';
import { firstValueFrom, Subscription } from 'rxjs';
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

  it('should send a long loop of subscribes on an open connection in parts while the loop still runs', async () => {
    const { rc } = newClient();
    // One hash tag: every name on one node, whose connection a first name opens.
    const first = rc.fromChannel('early:{t}:first').subscribe();
    await rc.whenSettled();
    const written: string[] = [];
    const write = Socket.prototype.write;
    Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
      if (typeof args[0] === 'string' && args[0].includes('\r\nsubscribe\r\n')) written.push(args[0]);
      return write.apply(this, args);
    } as Socket['write'];
    let subs: Subscription[];
    try {
      subs = Array.from({ length: 2_500 }, (_, i) => rc.fromChannel(`early:{t}:${i}`).subscribe());
    } finally {
      Socket.prototype.write = write;
    }
    // Two parts of 1,000 names went out before the loop ended; the rest waits for its microtask.
    expect(written.map((command) => command.split('\r\nsubscribe\r\n').length - 1)).toEqual([1, 1]);
    expect(written.map((command) => Number(/^\*(\d+)/.exec(command)?.[1]) - 1)).toEqual([1_000, 1_000]);
    await rc.whenSettled();
    const got = firstValueFrom(rc.fromChannel('early:{t}:2499'));
    await rc.whenSettled();
    // Every name is subscribed (the second observer of the last one shares its subscription).
    expect(await rc.pubsubNumsub('early:{t}:0', 'early:{t}:999', 'early:{t}:1000', 'early:{t}:2499')).toEqual([
      ['early:{t}:0', 1],
      ['early:{t}:999', 1],
      ['early:{t}:1000', 1],
      ['early:{t}:2499', 1],
    ]);
    expect(await rc.publish('early:{t}:2499', 'x')).toBe(1);
    expect((await got).data).toBe('x');
    subs.forEach((s) => s.unsubscribe());
    first.unsubscribe();
    await rc.whenSettled();
    expect(rc.subscriberConnections).toEqual([]);
    await rc.close();
  });

  it('should encode a long loop of subscribes ahead while the connection opens, and still drop what left before it opened', async () => {
    const { rc } = newClient();
    await rc.pubsubNumpat(); // the slot map is known; no subscriber connection is open yet
    const written: string[] = [];
    const write = Socket.prototype.write;
    Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
      if (typeof args[0] === 'string' && /subscribe\r\n/.test(args[0])) written.push(args[0]);
      return write.apply(this, args);
    } as Socket['write'];
    let subs: Subscription[];
    try {
      // One hash tag: every name on one node, whose connection the first name starts opening.
      subs = Array.from({ length: 2_500 }, (_, i) => rc.fromChannel(`ahead:{u}:${i}`).subscribe());
      // Gone before the socket could connect: 0–9 were encoded ahead, 2490–2499 were not.
      for (const i of [...Array(10).keys(), ...Array.from({ length: 10 }, (_, k) => 2_490 + k)]) subs[i]!.unsubscribe();
      expect(written).toEqual([]); // nothing can be written before the loop yields
      await rc.whenSettled();
    } finally {
      Socket.prototype.write = write;
    }
    const commands = written.map((text) => [...text.matchAll(/\*(\d+)\r\n\$(9|11)\r\n(subscribe|unsubscribe)\r\n/g)].map((m) => `${m[3]} ${Number(m[1]) - 1}`));
    // The two parts encoded during the loop went out in the socket's first write, with the
    // handshake; the rest (490 still wanted) once it was open; then the 10 that left too late.
    expect(commands).toEqual([['subscribe 1000', 'subscribe 1000'], ['subscribe 490'], ['unsubscribe 10']]);
    expect(await rc.pubsubNumsub('ahead:{u}:0', 'ahead:{u}:9', 'ahead:{u}:10', 'ahead:{u}:2489', 'ahead:{u}:2490')).toEqual([
      ['ahead:{u}:0', 0],
      ['ahead:{u}:9', 0],
      ['ahead:{u}:10', 1],
      ['ahead:{u}:2489', 1],
      ['ahead:{u}:2490', 0],
    ]);
    const got = firstValueFrom(rc.fromChannel('ahead:{u}:1500'));
    await rc.whenSettled();
    expect(await rc.publish('ahead:{u}:1500', 'y')).toBe(1);
    expect((await got).data).toBe('y');
    expect(await rc.publish('ahead:{u}:5', 'z')).toBe(0);
    subs.forEach((s) => s.unsubscribe());
    await rc.whenSettled();
    expect(rc.subscriberConnections).toEqual([]);
    await rc.close();
  });
});
