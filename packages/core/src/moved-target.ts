/**
 * @internal The node a `MOVED <slot> <host>:<port>` error sends to, as `host:port`, for an error
 * answered by `from` (`host:port`): an empty host is `from`'s own, as Redis writes it when it
 * knows no better. Null for any other error, or a MOVED back to `from`.
 *
 * @example
 * ```ts
 * movedTarget('MOVED 3999 127.0.0.1:7001', '127.0.0.1:7000'); // '127.0.0.1:7001'
 * movedTarget('MOVED 3999 :7001', '10.0.0.5:7000'); // '10.0.0.5:7001'
 * movedTarget('NOPERM this user has no permissions', '127.0.0.1:7000'); // null
 * ```
 */
export function movedTarget(message: string, from: string): string | null {
  const match = /^MOVED \d+ (.*):(\d+)$/.exec(message);
  if (!match) return null;
  const host = match[1] || from.slice(0, from.lastIndexOf(':'));
  const address = `${host}:${match[2]}`;
  return address === from ? null : address;
}
