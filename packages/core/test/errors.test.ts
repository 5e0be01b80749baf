import { firstValueFrom } from 'rxjs';
import {
  ClosedError,
  ClusterPubSubError,
  ConnectionLostError,
  InvalidArgumentError,
  SubscribeFailedError,
  SubscriptionRefusedError,
} from '../src';
import type { NodeStatusEvent } from '../src';
import { Admin, newClient, startupNodes } from './support';

const admin = new Admin();
afterAll(() => admin.close());

describe('S10 errors', () => {
  it('should reject bad arguments before any I/O, with typed errors, leaving state intact', async () => {
    const { rc, name } = newClient();
    const ps = rc.pubsub();
    expect(() => rc.fromChannel(42 as never)).toThrow(InvalidArgumentError);
    expect(() => rc.fromPattern({} as never)).toThrow(/must be a string or a Buffer, got an object/);
    expect(() => rc.pubsub({ encoding: 'latin1' as never })).toThrow(InvalidArgumentError);
    await expect(rc.publish('ok', 7 as never)).rejects.toThrow(InvalidArgumentError);
    await expect(ps.subscribe('good', null as never)).rejects.toThrow(InvalidArgumentError);
    await expect(ps.subscribe()).rejects.toThrow(InvalidArgumentError);
    await expect(ps.subscribe({ x: 'not a function' as never })).rejects.toThrow(InvalidArgumentError);
    await expect(ps.getMessage({ timeout: -1 })).rejects.toThrow(InvalidArgumentError);
    await expect(ps.executeCommand('GET', 'x')).rejects.toThrow(InvalidArgumentError);
    await expect(ps.unsubscribe('x', 5 as never)).rejects.toThrow(/a channel name must be a string or a Buffer/);
    expect(ps.subscribed).toBe(false);
    expect(await admin.connectionsNamed(name)).toBe(0);
    const error = await ps.subscribe(Symbol('x') as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterPubSubError);
    expect((error as Error).name).toBe('InvalidArgumentError');
    await rc.close();
  });

  it('should reject any use after close with ClosedError', async () => {
    const { rc } = newClient();
    const ps = rc.pubsub();
    await ps.close();
    await expect(ps.subscribe('x')).rejects.toThrow(ClosedError);
    await expect(ps.punsubscribe('x')).rejects.toThrow(ClosedError);
    await expect(ps.getMessage()).rejects.toThrow(ClosedError);
    await ps.close(); // twice is fine
    await rc.close();
    expect(() => rc.fromChannel('x')).toThrow(ClosedError);
    await expect(rc.publish('x', 'y')).rejects.toThrow(ClosedError);
    expect(() => rc.pubsub()).toThrow(ClosedError);
    await rc.close();
  });

  it('should complete live streams when the client closes', async () => {
    const { rc } = newClient();
    const done = firstValueFrom(rc.fromChannel('s10:complete'), { defaultValue: 'completed' });
    await rc.whenSettled();
    await rc.close();
    expect(await done).toBe('completed');
  });

  describe('with an ACL user that may only use channels "allowed*"', () => {
    const user = `cps-acl-${process.pid}`;
    beforeAll(async () => {
      for (const node of await admin.nodes('all')) {
        await node.call('ACL', 'SETUSER', user, 'on', '>secret', 'resetchannels', '&allowed*', '+@all', '~*');
      }
    });
    afterAll(async () => {
      for (const node of await admin.nodes('all')) await node.call('ACL', 'DELUSER', user);
    });

    it('should fail the refused subscription only, and keep the others', async () => {
      const { rc } = newClient({ redisOptions: { username: user, password: 'secret' } });
      const ps = rc.pubsub({ ignoreSubscribeMessages: true });
      const error = (await ps.subscribe('allowed:a', 'forbidden', 'allowed:b').catch((e: unknown) => e)) as SubscribeFailedError;
      expect(error).toBeInstanceOf(SubscribeFailedError);
      expect(error.errors).toHaveLength(1);
      expect(error.errors[0]).toBeInstanceOf(SubscriptionRefusedError);
      expect((error.errors[0] as SubscriptionRefusedError).subscriptionName).toBe('forbidden');
      expect((error.errors[0] as Error).cause).toBeDefined();
      expect([...ps.channels.keys()].sort()).toEqual(['allowed:a', 'allowed:b']);
      await rc.publish('allowed:b', 'hello');
      expect(await ps.getMessage({ timeout: 5000 })).toMatchObject({ channel: 'allowed:b', data: 'hello' });
      const refused = await firstValueFrom(rc.fromChannel('forbidden:stream')).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SubscriptionRefusedError);
      await ps.close();
      await rc.close();
    });

    it('should refuse the one name among hundreds of slots written together, and hold the rest', async () => {
      const { rc } = newClient({ redisOptions: { username: user, password: 'secret' } });
      // 300 slots in one loop: each node's flush writes its commands (one per slot) together.
      // The forbidden name shares its slot, so its command, with `allowed:0{t0}`.
      const allowed = Array.from({ length: 300 }, (_, i) => `allowed:${i}{t${i}}`);
      const errors: unknown[] = [];
      const subscriptions = allowed.map((name) => rc.fromShardChannel(name).subscribe({ error: (e: unknown) => errors.push(e) }));
      const refused = firstValueFrom(rc.fromShardChannel('forbidden{t0}')).catch((e: unknown) => e);
      expect(await refused).toBeInstanceOf(SubscriptionRefusedError);
      await rc.whenSettled();
      expect(errors).toEqual([]);
      const counts = await rc.pubsubShardnumsub(...allowed, 'forbidden{t0}');
      expect(counts.filter(([, count]) => count === 1)).toHaveLength(300);
      expect(counts.find(([name]) => name === 'forbidden{t0}')?.[1]).toBe(0);
      for (const subscription of subscriptions) subscription.unsubscribe();
      await rc.whenSettled();
      expect((await rc.pubsubShardnumsub(...allowed)).every(([, count]) => count === 0)).toBe(true);
      await rc.close();
    });
  });

  describe('when the nodes stop accepting the credentials (rotated)', () => {
    const user = `cps-rotated-${process.pid}`;
    beforeAll(async () => {
      for (const node of await admin.nodes('all')) await node.call('ACL', 'SETUSER', user, 'on', '>old', '+@all', '~*', '&*');
    });
    afterAll(async () => {
      for (const node of await admin.nodes('all')) await node.call('ACL', 'DELUSER', user);
    });

    it('should fail the streams with ConnectionLostError caused by the refusal, never as refused subscriptions', async () => {
      const { rc } = newClient({ redisOptions: { username: user, password: 'old' }, recovery: { maxWaitMs: 1500 } });
      await rc.pubsubNumpat(); // the slot map is known; its command connections stay logged in
      for (const node of await admin.nodes('all')) await node.call('ACL', 'SETUSER', user, 'resetpass', '>new');
      const events: NodeStatusEvent[] = [];
      rc.status$.subscribe((e) => events.push(e));
      const error = (await firstValueFrom(rc.fromChannel('rotated')).catch((e: unknown) => e)) as ConnectionLostError;
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect(error.message).toMatch(/refused the connection's handshake: WRONGPASS/);
      expect(String((error.cause as Error).message)).toMatch(/^WRONGPASS/);
      const lost = events.filter((e) => e.type === 'lost');
      // Refused on every attempt (ioredis keeps reconnecting with backoff); the limit still holds.
      expect(lost.length).toBeGreaterThan(1);
      expect(lost.every((e) => /WRONGPASS/.test(e.error?.message ?? ''))).toBe(true);
      expect(events.map((e) => e.type)).toContain('gave-up');
      expect(rc.subscriberConnections).toEqual([]);
      await rc.close();
    });
  });

  it('should give startupNodes errors as InvalidArgumentError', () => {
    expect(() => new (require('../src').RedisCluster)({ startupNodes: [] })).toThrow(InvalidArgumentError);
    expect(startupNodes().length).toBeGreaterThan(0);
  });
});
