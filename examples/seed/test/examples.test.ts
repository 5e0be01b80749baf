import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisCluster } from '@cluster-pubsub/core';
import { main as basic } from '../src/basic';
import { main as clusterConsiderations } from '../src/cluster-considerations';
import { clusterFromEnv, type ExampleMain, type StartupNodes } from '../src/cluster-from-env';
import { main as contextManager } from '../src/context-manager';
import { main as nonBlocking } from '../src/non-blocking';
import { main as patterns } from '../src/patterns';
import { main as publishing } from '../src/publishing';
import { main as rxjsPipeline } from '../src/rxjs-pipeline';
import { EXAMPLES, main as runAll } from '../src/run-all';

// Each example's output, checked line by line. Messages published on different nodes may arrive
// in either order (Redis orders delivery per connection only), so those lines are compared as
// sets; everything else is compared exactly.

let startupNodes: StartupNodes;
let observer: RedisCluster;

beforeAll(() => {
  const nodes = clusterFromEnv();
  if (nodes === undefined) throw new Error('REDIS_CLUSTER_NODES is not set: run through Jest, whose global setup provides it');
  startupNodes = nodes;
  observer = new RedisCluster({ startupNodes });
});

afterAll(async () => {
  await observer.close();
});

async function run(main: ExampleMain): Promise<string[]> {
  const lines: string[] = [];
  await main(startupNodes, (line) => lines.push(line));
  return lines;
}

/** Teardown: nothing an example subscribed may outlive it (closing a connection is asynchronous server-side). */
async function expectNothingLeftUnder(prefix: string): Promise<void> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const left = [
      ...(await observer.pubsubChannels(`${prefix}*`)),
      ...(await observer.pubsubShardchannels(`${prefix}*`)),
    ];
    if (left.length === 0 || Date.now() > deadline) {
      expect(left).toEqual([]);
      return;
    }
    await sleep(20);
  }
}

describe('basic', () => {
  it('should print every message received on the three channels, then leave nothing subscribed', async () => {
    const [subscribed, ...received] = await run(basic);

    expect(subscribed).toBe('Subscribed to basic:news, basic:updates, basic:alerts');
    expect(received.sort()).toEqual([
      'Received on basic:alerts: High memory usage detected',
      'Received on basic:news: Breaking: Redis Cluster is awesome!',
      'Received on basic:updates: System maintenance scheduled for tonight',
    ]);
    await expectNothingLeftUnder('basic:');
  });
});

describe('patterns', () => {
  it('should print the messages of matching channels only, with their pattern', async () => {
    const lines = await run(patterns);

    expect(lines.slice(0, 4)).toEqual([
      'Published to patterns:news.tech',
      'Published to patterns:weather.today',
      'Published to patterns:events.login',
      'Published to patterns:news.sport',
    ]);
    expect(lines.slice(4).sort()).toEqual([
      'Pattern patterns:events.* matched patterns:events.login: user 42 logged in',
      'Pattern patterns:news.* matched patterns:news.sport: Local team wins the cup',
      'Pattern patterns:news.* matched patterns:news.tech: Redis 7 adds sharded pub/sub',
    ]);
    expect(await observer.pubsubNumsub('patterns:news.*')).toEqual([['patterns:news.*', 0]]);
  });
});

describe('non-blocking', () => {
  it('should print updates, one silent poll, the last update, and null at once for timeout 0', async () => {
    expect(await run(nonBlocking)).toEqual([
      'Status update: online',
      'Status update: busy',
      'No message received, continuing...',
      'Status update: offline',
      'getMessage({ timeout: 0 }) with nothing queued: null after less than 50 ms',
    ]);
    await expectNothingLeftUnder('non-blocking:');
  });
});

describe('publishing', () => {
  it('should print the receiver counts and what each subscriber received', async () => {
    const lines = await run(publishing);

    expect(lines.slice(0, 5)).toEqual([
      'Published to publishing:news: 1 receiver(s)',
      'Published to publishing:updates: 1 receiver(s)',
      'Published to publishing:alerts: 1 receiver(s)',
      // Two clients; the second observer in the first client shares its server subscription.
      'Message delivered to 2 subscribers',
      'Published to publishing:nobody-listens: 0 receiver(s)',
    ]);
    const first = lines[5]?.match(/^First subscriber received: (.*)$/)?.[1]?.split(' | ');
    expect(first?.sort()).toEqual([
      'publishing:alerts=High memory usage detected',
      'publishing:news=Breaking: Redis Cluster is awesome!',
      'publishing:notifications=Hello subscribers!',
      'publishing:updates=System maintenance scheduled for tonight',
    ]);
    expect(lines.slice(6)).toEqual([
      'Its second observer received: Hello subscribers!',
      'Second subscriber received: publishing:notifications=Hello subscribers!',
    ]);
    await expectNothingLeftUnder('publishing:');
  });
});

describe('context-manager', () => {
  it('should read commands up to quit and close everything on leaving the block', async () => {
    expect(await run(contextManager)).toEqual([
      'Received command: status',
      'Received command: reload',
      'Received command: quit',
      'After the block: 0 subscribers to context-manager:commands, 0 subscriber connections open',
    ]);
    await expectNothingLeftUnder('context-manager:');
  });
});

describe('cluster-considerations', () => {
  it('should subscribe on the slot owner and print merged introspection answers', async () => {
    const lines = await run(clusterConsiderations);

    const placed = lines[0]?.match(
      /^cluster-considerations:global-channel is in slot 5742; subscribed on (\S+):(\d+)$/,
    );
    expect(placed).not.toBeNull();
    expect(startupNodes).toContainEqual({ host: placed?.[1], port: Number(placed?.[2]) });
    expect(lines.slice(1)).toEqual([
      'Published to cluster-considerations:global-channel: 1 receiver(s)',
      'Received message on cluster-considerations:global-channel: Message from any node',
      'Received pmessage on cluster-considerations:node-7 (pattern cluster-considerations:node-*): Hello from node 7',
      'Active channels: ["cluster-considerations:global-channel"]',
      'Subscribers to global-channel: [["cluster-considerations:global-channel",1]]',
      expect.stringMatching(/^Pattern subscriptions, summed over every node: [1-9]\d*$/),
      'Sharded publish to cluster-considerations:orders:{42}: 1 receiver(s)',
      'Received smessage on cluster-considerations:orders:{42}: order 42 paid',
      'Active shard channels: ["cluster-considerations:orders:{42}"]',
      'Subscribers to cluster-considerations:orders:{42}: [["cluster-considerations:orders:{42}",1]]',
      'After close: [["cluster-considerations:global-channel",0]], 0 subscriber connections open',
    ]);
    await expectNothingLeftUnder('cluster-considerations:');
  });
});

describe('rxjs-pipeline', () => {
  it('should print the filtered, upper-cased batches and the firstValueFrom + timeout reads', async () => {
    expect(await run(rxjsPipeline)).toEqual([
      'Batch: REDIS 7 ADDS SHARDED PUB/SUB | CLUSTER GROWS TO SIX NODES',
      'Batch: RXJS 8 IN BETA | NODE 22 IS LTS',
      'Batch: SLOTS MOVE WITHOUT A HICCUP',
      'The pipeline completed after 3 batches; rxjs-pipeline:news has 0 subscribers',
      'Within 300 ms on rxjs-pipeline:alerts: nothing (null)',
      'Within 1000 ms on rxjs-pipeline:alerts: message "disk almost full"',
    ]);
    await expectNothingLeftUnder('rxjs-pipeline:');
  });
});

describe('run-all', () => {
  it('should list every example that has a script, in the seed order', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const scripts = Object.entries(manifest.scripts).filter(([name]) => name !== 'all');

    expect(EXAMPLES.map(([name]) => name)).toEqual(scripts.map(([name]) => name));
    for (const [name, command] of scripts) expect(command).toBe(`tsx src/${name}.ts`);
  });

  it('should run every example under its own header', async () => {
    const lines = await run(runAll);
    const headers = lines.filter((line) => /^\n?=== .+ ===$/.test(line)).map((line) => line.trim());

    expect(headers).toEqual(EXAMPLES.map(([name]) => `=== ${name} ===`));
    expect(lines).toContain('Message delivered to 2 subscribers');
    expect(lines).toContain('Batch: SLOTS MOVE WITHOUT A HICCUP');
  });
});
