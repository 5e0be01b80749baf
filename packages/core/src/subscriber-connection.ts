import Redis, { ReplyError, type RedisOptions } from 'ioredis';
import { HealthCheck } from './health-check';
import type { MessageView } from './message-view';
import { PubSubReader, type ConfirmationType } from './pubsub-reader';
import { MESSAGE_TYPES, type SubscriptionKind } from './pubsub-message';
import { CommandQueue, type Outcome } from './command-queue';
import { encodeCommand, type Op } from './subscription-commands';

/** @internal What a subscriber connection reports. Message views are valid during the call only. */
export interface SubscriberConnectionEvents {
  message(view: MessageView): void;
  pmessage(view: MessageView): void;
  smessage(view: MessageView): void;
  /** Sharded subscriptions left this node by the server's doing: their slot moved. */
  slotMoved(): void;
  ready(): void;
  /** An open connection dropped; ioredis is reconnecting with backoff. */
  lost(): void;
}

/**
 * @internal One subscriber connection to `host:port`. ioredis opens it, with the user's options
 * (auth, TLS, connection name, backoff…), and reopens it after a loss; once it is ready, every
 * byte is ours: the socket's data goes to our own pub/sub reader instead of ioredis's decoder,
 * and our commands go straight to the socket. ioredis never hears of a subscription, so it
 * neither resubscribes nor resends anything: we restore subscriptions from our own book, on the
 * node that owns them now.
 *
 * Why not ioredis's own subscriber mode: its generic decoder and command bookkeeping (an array
 * and a Buffer per field, a dictionary of channels) cost more than the rest of a message's way
 * to its observers, and a pattern arrived as a UTF-8 string, so two patterns differing only in
 * invalid bytes could not be told apart.
 */
export class SubscriberConnection {
  private readonly redis: Redis;
  private readonly commands = new CommandQueue();
  /** Commands asked for while the connection is not open: written as soon as it is. */
  private offline: { readonly text: string; readonly expect: () => void }[] = [];
  private socket: NodeJS.ReadWriteStream | undefined;
  private health: HealthCheck | undefined;
  private closed = false;

  constructor(
    node: string,
    redisOptions: RedisOptions,
    private readonly healthCheckIntervalMs: number,
    private readonly events: SubscriberConnectionEvents,
  ) {
    const colon = node.lastIndexOf(':');
    this.redis = new Redis({
      ...redisOptions,
      host: node.slice(0, colon),
      port: Number(node.slice(colon + 1)),
      lazyConnect: true,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      // Nothing of ours may be in ioredis's queue when we take the socket over at 'ready'.
      enableReadyCheck: true,
      monitor: false,
      maxRetriesPerRequest: null,
      connectionName: redisOptions.connectionName ?? 'cluster-pubsub',
    });
    this.redis.on('ready', () => this.takeOver());
    this.redis.on('error', () => undefined); // every failure is also a 'close', handled below
    this.redis.on('close', () => this.dropped());
    this.redis.connect().catch(() => undefined); // failures arrive as 'error' / 'close' events
  }

  /** The connection is up and ours: whatever the node sends reaches us now. */
  get isOpen(): boolean {
    return this.socket !== undefined;
  }

  /** Sends one (P|S)(UN)SUBSCRIBE for `keys` (latin1 map keys of the names' bytes). */
  send(kind: SubscriptionKind, op: Op, keys: string[]): Promise<Outcome> {
    // The command is named as its confirmations are.
    const type = MESSAGE_TYPES[kind][op];
    return this.write(encodeCommand(type, keys), type, keys);
  }

  /** Resolves with the answer to a PING (any outcome: a dead connection is the health check's). */
  async ping(): Promise<void> {
    await this.write('*1\r\n$4\r\nPING\r\n', 'pong', []);
  }

  /** Closes the connection for good, whatever it holds; pending commands end as dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
    this.offline = [];
    this.commands.dropAll();
    this.redis.removeAllListeners('ready');
    this.redis.removeAllListeners('close');
    this.redis.disconnect();
  }

  private write(text: string, type: ConfirmationType | 'pong', keys: string[]): Promise<Outcome> {
    if (this.closed) return Promise.resolve({ type: 'dropped' });
    return new Promise((resolve) => {
      const expect = (): void => this.commands.expect(type, keys, resolve);
      const socket = this.socket;
      if (socket) {
        expect();
        socket.write(text, 'latin1');
      } else {
        this.offline.push({ text, expect });
      }
    });
  }

  /** ioredis finished its handshake on a new socket: from now on its bytes are ours. */
  private takeOver(): void {
    if (this.closed) return;
    const socket = this.redis.stream;
    // ioredis's decoder listens here; with nothing in its queue it has nothing left to read.
    socket.removeAllListeners('data');
    const reader = new PubSubReader({
      message: (view, sharded) => (sharded ? this.events.smessage(view) : this.events.message(view)),
      pmessage: (view) => this.events.pmessage(view),
      confirmation: (type, name, count) => {
        const key = type === 'sunsubscribe' && name ? name.channelKey() : null;
        if (this.commands.confirm(type, key, count)) return;
        // The server's own SUNSUBSCRIBE when a slot leaves this node answers no command of ours.
        if (type === 'sunsubscribe') this.events.slotMoved();
      },
      pong: () => this.commands.pong(),
      error: (message) => {
        const type = this.commands.fail(new ReplyError(message));
        if (type === 'ssubscribe' && message.startsWith('MOVED ')) this.events.slotMoved();
      },
      other: () => undefined,
    });
    socket.on('data', (chunk: Buffer) => {
      this.health?.heardFrom();
      try {
        reader.write(chunk);
      } catch {
        // Bytes that are not RESP: nothing after them can be trusted. ioredis reconnects.
        socket.removeAllListeners('data');
        this.redis.disconnect(true);
      }
    });
    this.socket = socket;
    const offline = this.offline;
    this.offline = [];
    for (const { text, expect } of offline) {
      expect();
      socket.write(text, 'latin1');
    }
    if (this.healthCheckIntervalMs > 0) {
      this.health = new HealthCheck(
        this.healthCheckIntervalMs,
        () => void this.ping(),
        () => this.redis.disconnect(true),
      );
    }
    this.events.ready();
  }

  /** ioredis saw the socket close (a failed reconnect attempt closes too). */
  private dropped(): void {
    if (!this.socket) return;
    this.release();
    // Commands in flight died with the socket; the caller replans them after `lost`.
    this.commands.dropAll();
    this.events.lost();
  }

  private release(): void {
    this.health?.stop();
    this.health = undefined;
    this.socket?.removeAllListeners('data');
    this.socket = undefined;
  }
}
