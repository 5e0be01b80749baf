import { Redis } from 'ioredis';
import { addressOf, type HostPort } from './node-info';

type Argument = string | number | Buffer;

/**
 * Short-lived admin connections, one per node, for the length of one operation.
 *
 * Every fault and helper opens its own `AdminConnections` and closes it in `finally`, so nothing
 * stays open between calls: a Jest worker that drives faults never leaks a handle.
 * Connections never retry: a refused connection is how a dead node shows itself.
 * @internal
 */
export class AdminConnections {
  readonly #clients = new Map<string, Redis>();
  readonly #closing: Promise<void>[] = [];

  /** Sends one command; rejects when the node is down or replies with an error. */
  call(node: HostPort, command: string, ...args: Argument[]): Promise<unknown> {
    return this.#client(node).call(command, ...args);
  }

  /** Like `call`, but `undefined` when the node cannot be reached or errors. */
  async tryCall(node: HostPort, command: string, ...args: Argument[]): Promise<unknown> {
    try {
      return await this.call(node, command, ...args);
    } catch {
      return undefined;
    }
  }

  /** Drops the connection to one node (after killing it, so the next call reconnects). */
  forget(node: HostPort): void {
    const key = addressOf(node);
    const client = this.#clients.get(key);
    this.#clients.delete(key);
    if (client !== undefined) this.#closing.push(closeClient(client));
  }

  async close(): Promise<void> {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all([...clients.map(closeClient), ...this.#closing.splice(0)]);
  }

  #client(node: HostPort): Redis {
    const key = addressOf(node);
    const existing = this.#clients.get(key);
    if (existing !== undefined && existing.status !== 'end' && existing.status !== 'close') {
      return existing;
    }
    const client = new Redis({
      host: node.host,
      port: node.port,
      lazyConnect: true,
      enableReadyCheck: false,
      enableOfflineQueue: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 2000,
      commandTimeout: 15_000,
    });
    // Connection failures already reject the pending command; without a listener ioredis would
    // also print them as "Unhandled error event" while we are probing nodes we just killed.
    client.on('error', () => undefined);
    this.#clients.set(key, client);
    return client;
  }
}

// ioredis's disconnect() arms a 2 s timer that only the socket's 'close' event clears; on a socket
// that is already closed it keeps the process alive for those 2 s. So: never on an ended client.
async function closeClient(client: Redis): Promise<void> {
  if (hasEnded(client)) return;
  const ended = new Promise<void>((done) => client.once('end', done));
  if (client.status === 'ready' || client.status === 'connect') {
    await within(
      client.quit().catch(() => undefined),
      1000,
    );
    await within(ended, 1000);
  }
  if (!hasEnded(client)) {
    client.disconnect();
    await within(ended, 1000);
  }
}

/** A function, not an inline test: the status changes across the awaits above. */
function hasEnded(client: Redis): boolean {
  return client.status === 'end';
}

/** Waits for `promise` but at most `ms`, leaving no timer behind. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((done) => (timer = setTimeout(done, ms)));
  await Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
