import Redis, { ReplyError, type RedisOptions } from 'ioredis';
import { HealthCheck } from './health-check';
import type { MessageView } from './message-view';
import { PubSubReader } from './pubsub-reader';
import { MESSAGE_TYPES, type SubscriptionKind } from './pubsub-message';
import { CommandQueue, type Expected, type Outcome, type Settle } from './command-queue';
import { encodeCommands, type Op } from './subscription-commands';
import { splitHandshake } from './handshake';

/** @internal What a subscriber connection reports. Message views are valid during the call only. */
export interface SubscriberConnectionEvents {
  message(view: MessageView): void;
  pmessage(view: MessageView): void;
  smessage(view: MessageView): void;
  /** Sharded subscriptions left this node by the server's doing: their slot moved. */
  slotMoved(): void;
  /**
   * The socket is ours and the handshake written: commands written now go out now (and are
   * answered after the handshake).
   */
  open(): void;
  /** The server accepted the handshake: the connection is set up. */
  ready(): void;
  /**
   * An open connection dropped, or the server refused its handshake (`cause`: its error);
   * ioredis is reconnecting with backoff.
   */
  lost(cause?: Error): void;
}

/** A command asked for before the connection opened: what answers it and who hears how it ended. */
interface OfflineCommand {
  readonly type: Expected;
  readonly keys: readonly string[];
  readonly ends: readonly number[] | null;
  readonly settle: Settle;
}

/**
 * @internal One subscriber connection to `host:port`. ioredis opens the socket with the user's
 * options (TLS, timeouts, backoff…) and reopens it after a loss; once it is connected, every
 * byte is ours: our handshake (see splitHandshake) and the subscriptions asked for meanwhile go
 * out in one write, the socket's data goes to our own pub/sub reader instead of ioredis's
 * decoder, and our commands go straight to the socket. ioredis never hears of a subscription, so it
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
  /** Commands asked for while the connection is not open: expected and written as soon as it is. */
  private offline: OfflineCommand[] = [];
  /** Their RESP, in order, joined into the socket's first write. */
  private offlineParts: string[] = [];
  private socket: NodeJS.ReadWriteStream | undefined;
  private health: HealthCheck | undefined;
  private closed = false;
  /** The RESP of commands written while corked, to go out in one socket write; null when not corked. */
  private corked: string[] | null = null;
  private readonly hello: string;
  private readonly setName: string;

  constructor(
    node: string,
    redisOptions: RedisOptions,
    private readonly healthCheckIntervalMs: number,
    private readonly events: SubscriberConnectionEvents,
  ) {
    const colon = node.lastIndexOf(':');
    const { socketOptions, hello, setName } = splitHandshake(redisOptions);
    this.hello = hello;
    this.setName = setName;
    // With no handshake and no ready check, ioredis is 'ready' as soon as the socket connects,
    // and has sent nothing and queued nothing when we take the socket over.
    this.redis = new Redis({
      ...socketOptions,
      host: node.slice(0, colon),
      port: Number(node.slice(colon + 1)),
      lazyConnect: true,
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
      monitor: false,
      maxRetriesPerRequest: null,
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

  /**
   * Sends one (P|S)(UN)SUBSCRIBE for `keys` (latin1 map keys of the names' bytes), or with `ends`
   * one after the other for each part of them (see CommandQueue.expectLater); `settle` hears how
   * each ended a microtask after its answer, or after `close`.
   */
  send(kind: SubscriptionKind, op: Op, keys: readonly string[], settle: Settle, ends: readonly number[] | null = null): void {
    // The command is named as its confirmations are.
    this.write(MESSAGE_TYPES[kind][op], keys, settle, ends);
  }

  /**
   * Until `uncork`, commands are gathered and then written at once: a flush of sharded names
   * sends one command per slot, thousands of them, and a socket write each cost a system call.
   */
  cork(): void {
    this.corked ??= [];
  }

  uncork(): void {
    const parts = this.corked;
    this.corked = null;
    if (parts && parts.length > 0 && this.socket) this.socket.write(parts.join(''), 'latin1');
  }

  /** Resolves with the answer to a PING (any outcome: a dead connection is the health check's). */
  ping(): Promise<void> {
    return new Promise((resolve) => this.write('PING', [], () => resolve(), null, 'pong'));
  }

  /** Closes the connection for good, whatever it holds; pending commands end as dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
    this.offline = [];
    this.offlineParts = [];
    this.commands.dropAll();
    this.redis.removeAllListeners('ready');
    this.redis.removeAllListeners('close');
    this.redis.disconnect();
  }

  /**
   * Writes `command` with `keys` (one command per part with `ends`), now or once open; `expected`
   * is what answers it (default: the command's confirmations).
   */
  private write(command: string, keys: readonly string[], settle: Settle, ends: readonly number[] | null, expected = command as Expected): void {
    if (this.closed) return this.commands.dropLater(settle, ends);
    const socket = this.socket;
    if (!socket) {
      encodeCommands(this.offlineParts, command, keys, ends);
      this.offline.push({ type: expected, keys, ends, settle });
      return;
    }
    this.commands.expectLater(expected, keys, settle, ends);
    if (this.corked !== null) return encodeCommands(this.corked, command, keys, ends);
    const parts: string[] = [];
    encodeCommands(parts, command, keys, ends);
    socket.write(parts.join(''), 'latin1');
  }

  /** ioredis connected a new socket (and sent nothing on it): from now on its bytes are ours. */
  private takeOver(): void {
    if (this.closed) return;
    const socket = this.redis.stream;
    // ioredis's decoder listens here; it was asked for nothing, so it has nothing to read.
    socket.removeAllListeners('data');
    // Every event checks that this socket is still the live one: after a fatal reply the rest
    // of the read that carried it must not reach the book (NOAUTH answers are no refusals).
    const live = (): boolean => this.socket === socket;
    const reader = new PubSubReader({
      message: (view, sharded) => {
        if (!live()) return;
        if (sharded) this.events.smessage(view);
        else this.events.message(view);
      },
      pmessage: (view) => live() && this.events.pmessage(view),
      confirmation: (type, name, count) => {
        if (!live()) return;
        const key = type === 'sunsubscribe' && name ? name.channelKey() : null;
        if (this.commands.confirm(type, key, count)) return;
        // The server's own SUNSUBSCRIBE when a slot leaves this node answers no command of ours.
        if (type === 'sunsubscribe') this.events.slotMoved();
      },
      pong: () => live() && this.commands.pong(),
      error: (message) => {
        if (!live()) return;
        const type = this.commands.fail(new ReplyError(message));
        if (type === 'ssubscribe' && message.startsWith('MOVED ')) this.events.slotMoved();
      },
      other: () => live() && this.commands.reply(),
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
    // The handshake first, then whatever was asked for while the socket was not ours: one write.
    this.commands.expect('reply', [], (outcome) => this.greeted(socket, outcome));
    this.commands.expect('reply', [], () => undefined); // CLIENT SETNAME: an error is ignored
    const offline = this.offline;
    const parts = this.offlineParts;
    this.offline = [];
    this.offlineParts = [];
    for (const { type, keys, settle, ends } of offline) this.commands.expectLater(type, keys, settle, ends);
    socket.write(this.hello + this.setName + parts.join(''), 'latin1');
    this.events.open();
    if (this.healthCheckIntervalMs > 0) {
      this.health = new HealthCheck(
        this.healthCheckIntervalMs,
        () => void this.ping(),
        () => this.redis.disconnect(true),
      );
    }
  }

  /** HELLO was answered: the connection is set up, or (refused credentials…) it starts over. */
  private greeted(socket: NodeJS.ReadWriteStream, outcome: Outcome): void {
    if (this.socket !== socket) return;
    if (outcome.type === 'ok') return this.events.ready();
    if (outcome.type === 'refused') {
      // What was written behind HELLO is answered with errors that are no refusals: drop it all.
      this.drop(outcome.error);
      this.redis.disconnect(true);
    }
  }

  /** ioredis saw the socket close (a failed reconnect attempt closes too). */
  private dropped(): void {
    if (this.socket) this.drop();
  }

  /** The socket is no longer ours: commands in flight died with it; the caller replans after `lost`. */
  private drop(cause?: Error): void {
    this.release();
    this.commands.dropAll();
    this.events.lost(cause);
  }

  private release(): void {
    this.health?.stop();
    this.health = undefined;
    this.socket?.removeAllListeners('data');
    this.socket = undefined;
  }
}
