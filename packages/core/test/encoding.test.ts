import { firstValueFrom, take, toArray } from 'rxjs';
import { InvalidArgumentError, type PubSubMessage } from '../src';
import { Admin, eventually, newClient } from './support';

const admin = new Admin();
afterAll(() => admin.close());

const invalidUtf8 = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x7b, 0x7d]);

describe('encodings', () => {
  it('should deliver binary payloads on binary channel names byte-exact, invalid UTF-8 included', async () => {
    const { rc } = newClient({ encoding: 'buffer' });
    const channel = Buffer.concat([Buffer.from('bin:'), invalidUtf8]);
    const payloads = [invalidUtf8, Buffer.alloc(0), Buffer.from([0, 1, 2, 255]), Buffer.alloc(70_000, 0xab)];
    const got = firstValueFrom(rc.fromChannel(channel).pipe(take(payloads.length), toArray()));
    await rc.whenSettled();
    for (const p of payloads) expect(await rc.publish(channel, p)).toBe(1);
    const messages = await got;
    for (const [i, m] of messages.entries()) {
      expect(Buffer.isBuffer(m.channel) && m.channel.equals(channel)).toBe(true);
      expect(Buffer.isBuffer(m.data) && m.data.equals(payloads[i]!)).toBe(true);
    }
    expect(await admin.ownerPort(channel)).toBeGreaterThan(0);
    await rc.close();
  });

  it('should keep two channels whose names differ only in invalid bytes apart', async () => {
    const { rc } = newClient({ encoding: 'buffer' });
    const a = Buffer.from([0x61, 0xff]);
    const b = Buffer.from([0x61, 0xfe]); // both decode to "a\uFFFD" as UTF-8
    const gotA = firstValueFrom(rc.fromChannel(a));
    const gotB = firstValueFrom(rc.fromChannel(b));
    await rc.whenSettled();
    await rc.publish(b, 'to b');
    await rc.publish(a, 'to a');
    expect(String((await gotA).data)).toBe('to a');
    expect(String((await gotB).data)).toBe('to b');
    await rc.close();
  });

  it('should route a UTF-8 string name by its bytes, share it with its Buffer form, and give it back in either encoding', async () => {
    const { rc, name: clientName } = newClient();
    const name = 'nöws:日本:{é}';
    const bytes = Buffer.from(name, 'utf8');
    // A bad option is refused before anything is subscribed, on the ASCII path and the other.
    expect(() => rc.fromChannel('plain', { encoding: 'latin1' as never })).toThrow(InvalidArgumentError);
    expect(() => rc.fromChannel(name, { encoding: 'latin1' as never })).toThrow(InvalidArgumentError);
    const asText = firstValueFrom(rc.fromChannel(name));
    const asBytes = firstValueFrom(rc.fromChannel(bytes, { encoding: 'buffer' }));
    const sharded = firstValueFrom(rc.fromShardChannel(name));
    await rc.whenSettled();
    // One connection on the owner of the name's bytes, holding both forms as one subscription.
    expect([...(await admin.pubsubClients(clientName)).keys()]).toEqual([await admin.ownerPort(bytes)]);
    expect(await rc.publish(name, 'text')).toBe(1);
    expect(await rc.spublish(bytes, 'sharded')).toBe(1);
    expect(await asText).toEqual({ type: 'message', pattern: null, channel: name, data: 'text' });
    const m = await asBytes;
    expect(Buffer.isBuffer(m.channel) && m.channel.equals(bytes)).toBe(true);
    expect(await sharded).toEqual({ type: 'smessage', pattern: null, channel: name, data: 'sharded' });
    await rc.close();
  });

  it('should give each observer its own encoding from one shared subscription', async () => {
    const { rc } = newClient();
    const asText = firstValueFrom(rc.fromChannel('enc:{tag}x'));
    const asBytes = firstValueFrom(rc.fromChannel('enc:{tag}x', { encoding: 'buffer' }));
    const sharded = firstValueFrom(rc.fromShardChannel('enc:{tag}x', { encoding: 'buffer' }));
    await rc.whenSettled();
    await rc.publish('enc:{tag}x', Buffer.from('héllo'));
    await rc.spublish(Buffer.from('enc:{tag}x'), 'sharded');
    expect(await asText).toEqual({ type: 'message', pattern: null, channel: 'enc:{tag}x', data: 'héllo' });
    const bytes = await asBytes;
    expect(Buffer.isBuffer(bytes.data) && bytes.data.toString()).toBe('héllo');
    expect((await sharded).data).toEqual(Buffer.from('sharded'));
    await rc.close();
  });

  it('should deliver pattern messages with binary channel names byte-exact', async () => {
    const { rc } = newClient({ encoding: 'buffer' });
    const channel = Buffer.concat([Buffer.from('pbin:'), invalidUtf8]);
    const got = firstValueFrom(rc.fromPattern('pbin:*'));
    await rc.whenSettled();
    await rc.publish(channel, invalidUtf8);
    const m = await got;
    expect(m.type).toBe('pmessage');
    expect((m.pattern as Buffer).toString()).toBe('pbin:*');
    expect((m.channel as Buffer).equals(channel)).toBe(true);
    expect((m.data as Buffer).equals(invalidUtf8)).toBe(true);
    await rc.close();
  });

  it('should keep two patterns whose names differ only in invalid UTF-8 bytes apart', async () => {
    const { rc } = newClient();
    const patternA = Buffer.from([0x70, 0xff, 0x2a]);
    const patternB = Buffer.from([0x70, 0xfe, 0x2a]); // both decode to "p\uFFFD*" as UTF-8
    const channelA = Buffer.from([0x70, 0xff, 0x41]); // matches patternA only
    const channelB = Buffer.from([0x70, 0xfe, 0x41]); // matches patternB only
    const gotA: PubSubMessage[] = [];
    const gotB: PubSubMessage[] = [];
    const subA = rc.fromPattern(patternA, { encoding: 'buffer' }).subscribe((m) => gotA.push(m));
    const subB = rc.fromPattern(patternB, { encoding: 'buffer' }).subscribe((m) => gotB.push(m));
    await rc.whenSettled();
    await rc.publish(channelB, 'to b');
    await rc.publish(channelA, 'to a');
    await eventually(() => gotA.length + gotB.length, (n) => n >= 2);
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for a stray delivery
    for (const [got, pattern, channel, data] of [
      [gotA, patternA, channelA, 'to a'],
      [gotB, patternB, channelB, 'to b'],
    ] as const) {
      expect(got).toHaveLength(1);
      const m = got[0]!;
      expect(m.type).toBe('pmessage');
      expect(Buffer.isBuffer(m.pattern) && m.pattern.equals(pattern)).toBe(true);
      expect(Buffer.isBuffer(m.channel) && m.channel.equals(channel)).toBe(true);
      expect(String(m.data)).toBe(data);
    }
    subA.unsubscribe();
    subB.unsubscribe();
    await rc.close();
  });
});
