import { firstValueFrom, take, toArray } from 'rxjs';
import { QueueOverflowError, type PubSubMessage } from '../src';
import { eventually, newClient } from './support';

describe('ClusterPubSub', () => {
  it('should queue confirmations and messages in order, as the seed does', async () => {
    const { rc } = newClient();
    const ps = rc.pubsub();
    await ps.subscribe('cp:news', 'cp:updates');
    await ps.psubscribe('cp:ev.*');
    expect(ps.subscribed).toBe(true);
    expect([...ps.channels.keys()].sort()).toEqual(['cp:news', 'cp:updates']);
    expect([...ps.patterns.keys()]).toEqual(['cp:ev.*']);
    const confirmations = [await ps.getMessage(), await ps.getMessage(), await ps.getMessage()];
    expect(confirmations.map((m) => m?.type).sort()).toEqual(['psubscribe', 'subscribe', 'subscribe']);
    // As redis-py: each confirmation carries the running count.
    expect(confirmations.map((m) => m?.data)).toEqual([1, 2, 3]);
    expect(confirmations[2]).toMatchObject({ type: 'psubscribe', pattern: 'cp:ev.*', data: 3 });
    await rc.publish('cp:news', 'n1');
    await rc.publish('cp:ev.x', 'e1');
    expect(await ps.getMessage({ timeout: 5000 })).toEqual({ type: 'message', pattern: null, channel: 'cp:news', data: 'n1' });
    expect(await ps.getMessage({ timeout: 5000 })).toEqual({ type: 'pmessage', pattern: 'cp:ev.*', channel: 'cp:ev.x', data: 'e1' });
    await ps.unsubscribe('cp:news');
    expect(await ps.getMessage()).toEqual({ type: 'unsubscribe', pattern: null, channel: 'cp:news', data: 2 });
    await ps.close();
    await rc.close();
  });

  it('should answer getMessage at once with timeout 0, wait with a timeout, and wait forever with null', async () => {
    const { rc } = newClient();
    const ps = rc.pubsub({ ignoreSubscribeMessages: true });
    await ps.subscribe('cp:t');
    expect(await ps.getMessage({ timeout: 0 })).toBeNull();
    const started = Date.now();
    expect(await ps.getMessage({ timeout: 200 })).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const forever = ps.getMessage({ timeout: null });
    setTimeout(() => void rc.publish('cp:t', 'late'), 300);
    expect(await forever).toMatchObject({ data: 'late' });
    const pending = ps.getMessage({ timeout: null });
    await ps.close();
    expect(await pending).toBeNull();
    await rc.close();
  });

  it('should skip confirmations per call with ignoreSubscribeMessages', async () => {
    const { rc } = newClient();
    const ps = rc.pubsub();
    await ps.subscribe('cp:skip');
    await rc.publish('cp:skip', 'payload');
    expect(await ps.getMessage({ timeout: 5000, ignoreSubscribeMessages: true })).toMatchObject({ data: 'payload' });
    await ps.close();
    await rc.close();
  });

  it('should call handlers instead of queueing, like the seed keyword arguments', async () => {
    const { rc } = newClient();
    const ps = rc.pubsub({ ignoreSubscribeMessages: true });
    const handled: PubSubMessage[] = [];
    await ps.subscribe({ 'cp:h': (m) => handled.push(m) }, 'cp:q');
    await ps.psubscribe({ 'cp:hp*': (m) => handled.push(m) });
    await rc.publish('cp:h', 'to handler');
    await rc.publish('cp:hp1', 'to pattern handler');
    await rc.publish('cp:q', 'to queue');
    expect(await ps.getMessage({ timeout: 5000 })).toMatchObject({ channel: 'cp:q', data: 'to queue' });
    await eventually(() => handled.length, (n) => n === 2);
    expect(handled.map((m) => m.data).sort()).toEqual(['to handler', 'to pattern handler']);
    expect(ps.channels.get('cp:h')).toEqual(expect.any(Function));
    expect(ps.channels.get('cp:q')).toBeNull();
    await ps.close();
    await rc.close();
  });

  it('should iterate with listen() until close', async () => {
    const { rc } = newClient();
    const ps = rc.pubsub({ ignoreSubscribeMessages: true });
    await ps.subscribe('cp:listen');
    for (const n of ['1', '2', 'quit']) await rc.publish('cp:listen', n);
    const seen: unknown[] = [];
    for await (const m of ps.listen()) {
      seen.push(m.data);
      if (m.data === 'quit') break;
    }
    expect(seen).toEqual(['1', '2', 'quit']);
    const ended = (async () => {
      for await (const m of ps.listen()) seen.push(m);
      return 'ended';
    })();
    await ps.close();
    expect(await ended).toBe('ended');
    await rc.close();
  });

  it('should merge every subscription into messages$', async () => {
    const { rc } = newClient();
    const ps = rc.pubsub({ ignoreSubscribeMessages: true, maxQueuedMessages: 0 });
    const got = firstValueFrom(ps.messages$.pipe(take(3), toArray()));
    await ps.subscribe('cp:m1');
    await ps.psubscribe('cp:mp*');
    await ps.ssubscribe('cp:{m3}');
    await rc.publish('cp:m1', 'a');
    await rc.publish('cp:mp2', 'b');
    await rc.spublish('cp:{m3}', 'c');
    expect((await got).map((m) => `${m.type}:${String(m.data)}`).sort()).toEqual(['message:a', 'pmessage:b', 'smessage:c']);
    expect(await ps.getMessage()).toBeNull();
    await ps.close();
    await rc.close();
  });

  it('should route executeCommand like the named methods, PING included', async () => {
    const { rc } = newClient();
    const ps = rc.pubsub({ ignoreSubscribeMessages: true });
    await ps.executeCommand('SUBSCRIBE', 'cp:exec');
    await ps.executeCommand('ssubscribe', 'cp:{exec}');
    expect(await ps.executeCommand('PING')).toBe('PONG');
    expect([...ps.channels.keys()]).toEqual(['cp:exec']);
    await ps.executeCommand('UNSUBSCRIBE');
    await ps.executeCommand('SUNSUBSCRIBE');
    expect(ps.subscribed).toBe(false);
    await ps.close();
    await rc.close();
  });

  it('should unsubscribe everything on reset and stay usable', async () => {
    const { rc } = newClient();
    const ps = rc.pubsub({ ignoreSubscribeMessages: true });
    await ps.subscribe('cp:r1');
    await rc.publish('cp:r1', 'old');
    await eventually(() => rc.pubsubNumsub('cp:r1'), (r) => r[0]![1] === 1);
    const seen: unknown[] = [];
    const listening = (async () => {
      for await (const m of ps.listen()) seen.push(m.data);
      return 'ended';
    })();
    await eventually(() => seen.length, (n) => n === 1);
    await ps.reset(); // ends the waiting listener
    expect(await listening).toBe('ended');
    expect(seen).toEqual(['old']);
    expect(ps.subscribed).toBe(false);
    expect(rc.subscriberConnections).toEqual([]);
    expect(await ps.getMessage()).toBeNull();
    await ps.subscribe('cp:r2');
    await rc.publish('cp:r2', 'new');
    expect(await ps.getMessage({ timeout: 5000 })).toMatchObject({ data: 'new' });
    await ps.close();
    await rc.close();
  });

  it('should close with await using', async () => {
    const { rc } = newClient();
    {
      await using ps = rc.pubsub();
      await ps.subscribe('cp:using');
      expect(rc.subscriberConnections).toHaveLength(1);
    }
    expect(rc.subscriberConnections).toEqual([]);
    await rc.close();
  });

  it('should bound the queue and apply the overflow policy', async () => {
    const { rc } = newClient();
    const oldest = rc.pubsub({ ignoreSubscribeMessages: true, maxQueuedMessages: 3 });
    const failing = rc.pubsub({ ignoreSubscribeMessages: true, maxQueuedMessages: 3, overflow: 'error' });
    await oldest.subscribe('cp:bound');
    await failing.subscribe('cp:bound');
    for (let i = 0; i < 5; i++) await rc.publish('cp:bound', String(i));
    await eventually(() => oldest.droppedMessages, (n) => n === 2);
    const kept = [await oldest.getMessage(), await oldest.getMessage(), await oldest.getMessage()];
    expect(kept.map((m) => m?.data)).toEqual(['2', '3', '4']);
    // 0, 1, 2 fill it; 3 overflows: all four are dropped, the next read throws, then 4 is read.
    await eventually(() => failing.droppedMessages, (n) => n === 4);
    await expect(failing.getMessage()).rejects.toThrow(QueueOverflowError);
    expect(await failing.getMessage({ timeout: 5000 })).toMatchObject({ data: '4' });
    await oldest.close();
    await failing.close();
    await rc.close();
  });
});
