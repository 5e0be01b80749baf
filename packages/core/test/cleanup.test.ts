import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startCluster } from '@cluster-pubsub/testing';
import { keySlot, RedisCluster } from '../src';
import { Admin, eventually, namesPerMaster, newClient } from './support';

const admin = new Admin();
afterAll(() => admin.close());
const root = path.resolve(__dirname, '../../..');

describe('S11 no leaks', () => {
  it('should leave no connection on any node after the last unsubscribe and close()', async () => {
    const { rc, name } = newClient();
    const ps = rc.pubsub();
    await ps.subscribe('s11:a', 's11:b');
    await ps.psubscribe('s11:*');
    await ps.ssubscribe('s11:{c}');
    const sub = rc.fromChannel('s11:d').subscribe();
    await rc.whenSettled();
    expect((await admin.pubsubClients(name)).size).toBeGreaterThan(0);
    sub.unsubscribe();
    await ps.unsubscribe();
    await ps.punsubscribe();
    await ps.sunsubscribe();
    expect(rc.subscriberConnections).toEqual([]);
    await eventually(() => admin.pubsubClients(name), (m) => m.size === 0);
    await rc.close();
    await eventually(() => admin.connectionsNamed(name), (n) => n === 0);
  });

  it('should let the process exit by itself after close()', () => {
    expect(exitOnItsOwn('exits-by-itself.ts')).toBe('done 2');
  });

  it('should let the process exit by itself after a close() that interrupts a slot-map refresh', () => {
    expect(exitOnItsOwn('exits-while-refreshing.ts')).toBe('done');
  });

  it('should report no open handle under jest --detectOpenHandles', () => {
    const child = spawnSync(
      process.execPath,
      [
        require.resolve('jest/bin/jest'),
        '--selectProjects', 'core',
        '--testMatch', '**/fixtures/*.handles.ts',
        '--detectOpenHandles', '--runInBand', '--colors=false',
      ],
      { cwd: root, env: process.env, encoding: 'utf8', timeout: 60_000 },
    );
    const output = child.stdout + child.stderr;
    expect(output).toMatch(/1 passed/);
    expect(output).not.toMatch(/open handle/i);
    expect(child.status).toBe(0);
  });

  it('should keep memory flat over 10,000 subscribe/unsubscribe cycles', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { rc } = newClient();
    // One long-lived channel per master keeps the node connections open, as in an application:
    // the cycles then measure our bookkeeping, not TCP set-up.
    const anchors = [...(await namesPerMaster(admin, 'mem:anchor', 1)).values()].flat();
    const held = anchors.map((a) => rc.fromChannel(a).subscribe());
    const ps = rc.pubsub({ ignoreSubscribeMessages: true });
    const cycle = async (i: number): Promise<void> => {
      const sub = rc.fromChannel(`mem:${i}`).subscribe();
      await ps.subscribe(`mem:ps:${i}`);
      sub.unsubscribe();
      await ps.unsubscribe(`mem:ps:${i}`);
    };
    for (let i = 0; i < 1000; i++) await cycle(i);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 1000; i < 10_000; i++) await cycle(i);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // 9,000 cycles: anything kept per cycle (a map entry, a listener) would show as > 1 MB.
    expect(grown).toBeLessThan(1024 * 1024);
    expect(rc.subscriberConnections).toHaveLength(anchors.length);
    held.forEach((s) => s.unsubscribe());
    await ps.close();
    await rc.close();
  }, 120_000);

  it('should close although a node is frozen and never answers QUIT', async () => {
    // A private cluster: a node stopped for seconds would be failed over under the shared one.
    const frozen = await startCluster({ masters: 3, replicasPerMaster: 0 });
    const [victim] = await frozen.masters();
    try {
      const rc = new RedisCluster({ startupNodes: frozen.startupNodes });
      const channel = ownedBy(victim!.slots, 'frozen');
      let completed = false;
      rc.fromChannel(channel).subscribe({ complete: () => (completed = true) });
      await rc.whenSettled();
      await rc.publish(channel, 'hello'); // a command connection to the victim, too
      process.kill(victim!.pid!, 'SIGSTOP');
      await rc.close(); // without a bound on QUIT this waits for the node forever
      expect(completed).toBe(true);
      expect(rc.subscriberConnections).toEqual([]);
    } finally {
      process.kill(victim!.pid!, 'SIGCONT');
      await frozen.stop();
    }
  }, 60_000);
});

/** A channel whose slot lies in `slots`. */
function ownedBy(slots: readonly (readonly [number, number])[], prefix: string): string {
  for (let i = 0; ; i++) {
    const slot = keySlot(`${prefix}:${i}`);
    if (slots.some(([first, last]) => slot >= first && slot <= last)) return `${prefix}:${i}`;
  }
}

/** Runs a fixture in its own process, checks it exited by itself and cleanly; returns its output. */
function exitOnItsOwn(fixture: string): string {
  const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', fixture)], {
    cwd: root,
    env: process.env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(child.stderr).toBe('');
  expect(child.signal).toBeNull(); // not killed by the timeout: it exited on its own
  expect(child.status).toBe(0);
  return child.stdout.trim();
}
