import Redis, { type RedisOptions } from 'ioredis';
import { HealthCheck } from './health-check';

/** @internal What a subscriber connection reports. Message callbacks get the raw bytes. */
export interface SubscriberConnectionEvents {
  message?(channel: Buffer, data: Buffer): void;
  /** ioredis hands the pattern over as a UTF-8 string (its own decoding). */
  pmessage?(pattern: string, channel: Buffer, data: Buffer): void;
  smessage?(channel: Buffer, data: Buffer): void;
  /** The server dropped sharded subscriptions by itself (their slot left this node). */
  slotMoved?(): void;
  ready(): void;
  /** An open connection dropped; ioredis is reconnecting with backoff. */
  lost(): void;
}

/**
 * @internal Opens one ioredis connection in subscriber mode to `host:port`, with the user's
 * options (auth, TLS, …) and ours: we restore subscriptions ourselves from our own book, on the
 * node that owns them now, so ioredis must neither resubscribe nor resend on reconnect.
 */
export function openSubscriberConnection(
  node: string,
  redisOptions: RedisOptions,
  healthCheckIntervalMs: number,
  events: SubscriberConnectionEvents,
): Redis {
  const colon = node.lastIndexOf(':');
  const redis = new Redis({
    ...redisOptions,
    host: node.slice(0, colon),
    port: Number(node.slice(colon + 1)),
    lazyConnect: true,
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    connectionName: redisOptions.connectionName ?? 'cluster-pubsub',
  });
  const { message, pmessage, smessage, slotMoved } = events;
  if (message) redis.on('messageBuffer', message);
  if (pmessage) redis.on('pmessageBuffer', pmessage);
  if (smessage) redis.on('smessageBuffer', smessage);
  if (slotMoved) redis.on('moved', slotMoved);
  let open = false;
  redis.on('ready', () => {
    open = true;
    unwatch(redis);
    if (healthCheckIntervalMs > 0) watching.set(redis, watch(redis, healthCheckIntervalMs));
    events.ready();
  });
  redis.on('error', () => undefined); // every failure is also a 'close', handled below
  redis.on('close', () => {
    unwatch(redis);
    // Failed reconnect attempts close too; only the loss of an open connection is news.
    if (!open) return;
    open = false;
    events.lost();
  });
  redis.connect().catch(() => undefined); // failures arrive as 'error' / 'close' events
  return redis;
}

/** @internal Closes a connection opened above and silences it: nothing it says matters now. */
export function closeSubscriberConnection(redis: Redis): void {
  unwatch(redis);
  for (const event of ['messageBuffer', 'pmessageBuffer', 'smessageBuffer', 'moved', 'ready', 'close']) {
    redis.removeAllListeners(event);
  }
  redis.disconnect();
}

/** How to stop the health check of each open connection. */
const watching = new WeakMap<Redis, () => void>();

function unwatch(redis: Redis): void {
  watching.get(redis)?.();
  watching.delete(redis);
}

/**
 * Health-checks an open connection (see HealthCheck). A silent one is dropped: ioredis reports a
 * close and reconnects, and we resubscribe (or, if the node never answers again, end its streams
 * with ConnectionLostError after `maxWaitMs`). Returns how to stop watching.
 */
function watch(redis: Redis, intervalMs: number): () => void {
  const socket = redis.stream;
  const heard = (): void => health.heardFrom();
  const stop = (): void => {
    health.stop();
    socket.off('data', heard);
  };
  const health = new HealthCheck(
    intervalMs,
    () => void redis.ping().catch(() => undefined),
    () => {
      stop();
      redis.disconnect(true);
    },
  );
  socket.on('data', heard);
  return stop;
}
