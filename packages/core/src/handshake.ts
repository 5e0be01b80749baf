import type { RedisOptions } from 'ioredis';
import { encodeCommand } from './subscription-commands';

/** @internal A subscriber connection's options, split between ioredis and our own handshake. */
export interface Handshake {
  /** What ioredis gets: how to reach and reopen the socket (host, TLS, backoff…), nothing to send. */
  readonly socketOptions: RedisOptions;
  /** `HELLO <protocol> [AUTH <user> <password>]` as RESP: its error is fatal to the connection. */
  readonly hello: string;
  /** `CLIENT SETNAME <name>` as RESP: its error is ignored, as ioredis ignores it. */
  readonly setName: string;
}

/** The connection name when the options give none: it shows in CLIENT LIST. */
export const DEFAULT_CONNECTION_NAME = 'cluster-pubsub';

/**
 * @internal Takes the setup commands away from ioredis. ioredis would send AUTH or HELLO, CLIENT
 * SETNAME and CLIENT SETINFO, wait for their answers, then send INFO and wait again before its
 * `ready`: two round trips after every connect before a SUBSCRIBE could go out. One HELLO does
 * the same work as AUTH (protocol, credentials), CLIENT SETNAME follows, and the subscriptions
 * are written right behind them; the server answers in order, so an error to HELLO comes before
 * any answer to them.
 *
 * Left out on purpose: SELECT (a cluster has database 0 only), READONLY (reads of keys from
 * replicas; pub/sub does not read keys), CLIENT SETINFO (Redis 7.2+; 7.0 refuses it), and INFO's
 * `loading` check (the pub/sub commands are served while a node loads its data).
 *
 * @example
 * ```ts
 * const { socketOptions, hello } = splitHandshake({ password: 'secret', tls: {} });
 * // socketOptions: { tls: {}, … nothing ioredis would send }
 * // hello: HELLO 3 AUTH default secret; setName: CLIENT SETNAME cluster-pubsub
 * ```
 */
export function splitHandshake(options: RedisOptions): Handshake {
  const {
    username,
    password,
    connectionName,
    protocol,
    db: _db,
    readOnly: _readOnly,
    replyMapping: _replyMapping,
    ...rest
  } = options;
  const args = [String(protocol ?? 3)];
  // HELLO's AUTH needs a user name: a password alone is the default user's, as with AUTH <password>.
  if (password !== undefined && password !== null && password !== '') args.push('AUTH', username || 'default', password);
  return {
    socketOptions: {
      ...rest,
      protocol: 2, // RESP2 with no HELLO: ioredis sends nothing on its own
      enableReadyCheck: false,
      disableClientInfo: true,
    },
    hello: encodeCommand('HELLO', args.map(latin1Key)),
    setName: encodeCommand('CLIENT', ['SETNAME', latin1Key(connectionName ?? DEFAULT_CONNECTION_NAME)]),
  };
}

/** A text as the latin1 string of its UTF-8 bytes (what encodeCommand writes back byte for byte). */
function latin1Key(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}
