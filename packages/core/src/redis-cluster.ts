import type { ClusterNode, ClusterOptions } from 'ioredis';
import type { Observable } from 'rxjs';
import { ClusterPubSub, type ClusterPubSubOptions, type PubSubHost } from './cluster-pubsub';
import { ClusterTopology } from './cluster-topology';
import { ClosedError, CommandFailedError, InvalidArgumentError, messageOf } from './errors';
import { sumCounts, sumNumber, unionChannels } from './introspection';
import { asciiKeySlot, keySlot, scanned } from './key-slot';
import { checkEncoding, checkPayload, decode, toNameRef, type NameRef } from './names';
import type { NodeStatusEvent } from './node-status';
import type { Encoding, Name, PubSubMessage, SubscriptionKind } from './pubsub-message';
import { streamOptions, type Membership, type StreamOptions, type StreamTarget } from './stream-options';
import { StreamRegistry } from './stream-registry';
import { SubscriptionRouter, type RecoveryOptions } from './subscription-router';

/** Connection states in which a command reaches the node soon ('wait': not connected yet). */
const USABLE = new Set(['wait', 'connecting', 'connect', 'ready']);

/** Options of `new RedisCluster(...)`: the startup nodes, our options, and any ioredis `ClusterOptions`. */
export interface RedisClusterOptions extends ClusterOptions {
  /** Where to find the cluster; one reachable node is enough. */
  readonly startupNodes: readonly ClusterNode[];
  /** Default encoding of everything this client makes: `'utf8'` (default) or `'buffer'`. */
  readonly encoding?: Encoding;
  /** How subscriptions recover from failover, node loss and dropped connections. */
  readonly recovery?: RecoveryOptions;
  // `redisOptions` (from ClusterOptions) apply to the subscriber connections too: their socket
  // options (TLS, timeouts, retryStrategy…) as ioredis reads them, and `protocol` (default 3),
  // `username`, `password` and `connectionName` (default 'cluster-pubsub') through one HELLO
  // and one CLIENT SETNAME written with the first subscriptions (see the README).
}

/** Options of the stream creators `fromChannel`, `fromPattern`, `fromShardChannel`. */
export interface StreamCreatorOptions {
  /** Strings or byte-exact Buffers; default: the client's encoding. */
  readonly encoding?: Encoding;
  /**
   * Default true: only payload messages. Set false to get a `subscribe` message first, once the
   * server confirmed the subscription: from then on every published message is delivered.
   */
  readonly ignoreSubscribeMessages?: boolean;
}

/**
 * A Redis Cluster client for publish/subscribe. Each name is routed to the master that owns its
 * slot, so subscribers and the publisher of a channel meet on one node; subscriber connections
 * open on first use (one per node) and close when their last subscription leaves.
 *
 * @example
 * ```ts
 * await using rc = new RedisCluster({ startupNodes: [{ host: '127.0.0.1', port: 7000 }] });
 * const { fromChannel } = rc;
 * fromChannel('news').pipe(map((m) => m.data)).subscribe(console.log);
 * await rc.publish('news', 'hi'); // 1: the number of receivers
 * ```
 */
export class RedisCluster implements PubSubHost {
  readonly encoding: Encoding;
  /** Per-node connection and resubscription events. */
  readonly status$: Observable<NodeStatusEvent>;
  private readonly topology: ClusterTopology;
  private readonly router: SubscriptionRouter;
  private readonly registry: StreamRegistry;
  private closed = false;

  constructor(options: RedisClusterOptions) {
    if (options === null || typeof options !== 'object' || !Array.isArray(options.startupNodes)) {
      throw new InvalidArgumentError('new RedisCluster({ startupNodes: [{ host, port }] }) needs startupNodes');
    }
    const { startupNodes, encoding, recovery, ...clusterOptions } = options;
    if (startupNodes.length === 0) throw new InvalidArgumentError('startupNodes must name at least one node');
    this.encoding = checkEncoding(encoding);
    this.topology = new ClusterTopology([...startupNodes], clusterOptions);
    // The registry is made after the router it routes through; the router finds names in it.
    this.router = new SubscriptionRouter(this.topology, clusterOptions.redisOptions ?? {}, recovery, {
      find: (kind, key) => this.registry.find(kind, key),
      findBytes: (kind, bytes, start, end) => this.registry.findBytes(kind, bytes, start, end),
    });
    this.registry = new StreamRegistry(this.topology, this.router);
    this.status$ = this.router.status$.asObservable();
  }

  /**
   * A cold stream of one channel's messages. Subscribing routes the channel to its slot's master
   * and subscribes there (once, however many observers); the last unsubscribe unsubscribes.
   *
   * @example
   * ```ts
   * const sub = rc.fromChannel('news').pipe(map((m) => m.data)).subscribe(console.log);
   * sub.unsubscribe(); // UNSUBSCRIBE news, and the node's connection closes if it was the last
   * ```
   */
  readonly fromChannel = (channel: Name, options?: StreamCreatorOptions): Observable<PubSubMessage> =>
    this.creator('channel', channel, options);

  /**
   * A cold stream of the messages of every channel matching a glob-style pattern, in any slot.
   *
   * @example
   * ```ts
   * rc.fromPattern('news.*').subscribe((m) => console.log(m.channel, m.data));
   * ```
   */
  readonly fromPattern = (pattern: Name, options?: StreamCreatorOptions): Observable<PubSubMessage> =>
    this.creator('pattern', pattern, options);

  /**
   * A cold stream of one sharded channel (SSUBSCRIBE, Redis 7): messages stay within the shard.
   *
   * @example
   * ```ts
   * rc.fromShardChannel('orders:{42}').subscribe((m) => console.log(m.data));
   * await rc.spublish('orders:{42}', 'paid');
   * ```
   */
  readonly fromShardChannel = (channel: Name, options?: StreamCreatorOptions): Observable<PubSubMessage> =>
    this.creator('shard', channel, options);

  /**
   * Publishes on the master that owns the channel's slot; resolves with the number of receivers
   * there (all subscribers made by this library sit on that node).
   *
   * @example
   * ```ts
   * const receivers = await rc.publish('news', 'hi');
   * ```
   */
  publish(channel: Name, message: Name): Promise<number> {
    return this.send('publish', channel, message);
  }

  /**
   * Publishes to a sharded channel (SPUBLISH) on its slot's master.
   *
   * @example
   * ```ts
   * await rc.spublish('orders:{42}', Buffer.from([1, 2, 3]));
   * ```
   */
  spublish(channel: Name, message: Name): Promise<number> {
    return this.send('spublish', channel, message);
  }

  /**
   * Active channels, optionally matching a pattern: the union over every node, no duplicates.
   *
   * @example
   * ```ts
   * await rc.pubsubChannels('news.*'); // ['news.tech', 'news.sport']
   * ```
   */
  pubsubChannels(pattern?: Name): Promise<(string | Buffer)[]> {
    return this.channelList('CHANNELS', pattern);
  }

  /**
   * Subscriber counts per channel, summed over every node.
   *
   * @example
   * ```ts
   * await rc.pubsubNumsub('a', 'b'); // [['a', 2], ['b', 0]]
   * ```
   */
  pubsubNumsub(...channels: Name[]): Promise<[string | Buffer, number][]> {
    return this.counts('NUMSUB', channels);
  }

  /**
   * The number of pattern subscriptions, summed over every node.
   *
   * @example
   * ```ts
   * await rc.pubsubNumpat(); // 3
   * ```
   */
  async pubsubNumpat(): Promise<number> {
    return sumNumber(await this.nodesForQuery(), 'NUMPAT');
  }

  /**
   * Active sharded channels, optionally matching a pattern, over every node.
   *
   * @example
   * ```ts
   * await rc.pubsubShardchannels('orders:*');
   * ```
   */
  pubsubShardchannels(pattern?: Name): Promise<(string | Buffer)[]> {
    return this.channelList('SHARDCHANNELS', pattern);
  }

  /**
   * Subscriber counts per sharded channel, summed over every node.
   *
   * @example
   * ```ts
   * await rc.pubsubShardnumsub('orders:{42}'); // [['orders:{42}', 1]]
   * ```
   */
  pubsubShardnumsub(...channels: Name[]): Promise<[string | Buffer, number][]> {
    return this.counts('SHARDNUMSUB', channels);
  }

  /**
   * The seed's imperative pub/sub object, with `getMessage`, `listen` and handlers.
   *
   * @example
   * ```ts
   * const ps = rc.pubsub({ ignoreSubscribeMessages: true });
   * await ps.subscribe('news');
   * ```
   */
  pubsub(options?: ClusterPubSubOptions): ClusterPubSub {
    this.assertOpen();
    return new ClusterPubSub(this, options);
  }

  /** Subscriber connections open now, one per node, as `host:port`. */
  get subscriberConnections(): string[] {
    return this.router.connections;
  }

  /**
   * Closes every connection; live streams complete. Safe to call twice. Commands already sent
   * may finish, but a node that does not answer (frozen, or cut off without a reset) is waited
   * for at most one second.
   *
   * @example
   * ```ts
   * await rc.close(); // or: await using rc = new RedisCluster(...)
   * ```
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.registry.completeAll();
    this.router.close();
    await this.topology.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal */
  join(kind: SubscriptionKind, ref: NameRef, options: StreamOptions, target: StreamTarget): Membership {
    this.assertOpen();
    return this.registry.join(kind, ref, options, target);
  }

  /**
   * Resolves once every subscribe and unsubscribe asked for so far has been sent and confirmed
   * by its node (and connections left idle are closed): at the first moment nothing is in flight
   * on any connection, which every caller waiting then shares. Useful before publishing in tests.
   *
   * @example
   * ```ts
   * const sub = rc.fromChannel('news').subscribe(console.log);
   * await rc.whenSettled();
   * await rc.publish('news', 'delivered for sure');
   * ```
   */
  whenSettled(): Promise<void> {
    const settled = (): Promise<void> => this.router.whenSettled();
    if (this.topology.isReady) return settled();
    // Streams subscribed before the slot map was known attach once it is: let them go first.
    return this.topology.ready().then(settled, settled);
  }

  /** @internal */
  ping(): Promise<void> {
    return this.router.ping();
  }

  private creator(kind: SubscriptionKind, name: Name, options?: StreamCreatorOptions): Observable<PubSubMessage> {
    this.assertOpen();
    // A plain ASCII channel (nearly every one) is read once for its slot and hash, and no
    // NameRef is made: about 40 B less garbage per call (measured, 10,000 calls in a loop).
    if (kind !== 'pattern' && typeof name === 'string') {
      const slot = asciiKeySlot(name);
      if (slot >= 0) return this.registry.asciiChannelStream(kind, name, slot, scanned.keyHash, this.streamOptionsOf(options));
    }
    const ref = toNameRef(name, kind === 'pattern' ? 'a pattern name' : 'a channel name');
    return this.registry.stream(kind, ref, this.streamOptionsOf(options));
  }

  /** A stream creator's options, checked (after its name: a bad name is reported first). */
  private streamOptionsOf(options: StreamCreatorOptions | undefined): StreamOptions {
    return streamOptions(checkEncoding(options?.encoding ?? this.encoding), options?.ignoreSubscribeMessages ?? true);
  }

  /**
   * Validates, routes and writes the command in the caller's own tick when the slot map is known:
   * no await before the write, since every hop before it is latency added to every message.
   */
  private send(command: 'publish' | 'spublish', channel: Name, message: Name): Promise<number> {
    let ref: NameRef;
    try {
      this.assertOpen();
      ref = toNameRef(channel, 'a channel name');
      checkPayload(message);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (this.topology.isReady) return this.sendRouted(command, ref, message);
    return this.topology.ready().then(() => this.sendRouted(command, ref, message));
  }

  private sendRouted(command: 'publish' | 'spublish', ref: NameRef, message: Name): Promise<number> {
    const node = this.topology.commandNode(this.topology.ownerOf(ref.slot >= 0 ? ref.slot : keySlot(ref.wire)));
    // The owner's own connection puts publisher and subscribers on one node (no bus hop). While
    // it is down or unknown, ioredis's routing takes over: PUBLISH is broadcast by any node, and
    // SPUBLISH follows MOVED.
    const target = node && USABLE.has(node.status) ? node : this.topology.cluster;
    return target[command](ref.wire, message).then(Number, async (error: unknown) => {
      if (target === node && /^(MOVED|ASK) /.test(messageOf(error))) {
        await this.topology.refresh();
        return this.sendRouted(command, ref, message);
      }
      throw new CommandFailedError(command.toUpperCase(), error);
    });
  }

  private async channelList(subcommand: string, pattern?: Name): Promise<(string | Buffer)[]> {
    const ref = pattern === undefined ? undefined : toNameRef(pattern, 'a pattern');
    const nodes = await this.nodesForQuery();
    return (await unionChannels(nodes, subcommand, ref?.bytes)).map((b) => decode(b, this.encoding));
  }

  private async counts(subcommand: string, channels: Name[]): Promise<[string | Buffer, number][]> {
    const refs = channels.map((c) => toNameRef(c, 'a channel name'));
    const nodes = await this.nodesForQuery();
    const counts = await sumCounts(nodes, subcommand, refs.map((r) => r.bytes));
    return refs.map((ref, i) => [ref.as(this.encoding), counts[i] ?? 0]);
  }

  private async nodesForQuery() {
    this.assertOpen();
    await this.topology.ready();
    return this.topology.allNodes();
  }

  private assertOpen(): void {
    if (this.closed) throw new ClosedError('this RedisCluster');
  }
}
