import type { ClusterOptions } from 'ioredis';

/**
 * @internal A node's `host:port` as the cluster announces it (CLUSTER SLOTS, a MOVED reply), in
 * the form ioredis keys its nodes by: through the `natMap` option (an object or a function), as
 * ioredis maps it; unmapped addresses stay as they are.
 *
 * @example
 * ```ts
 * natMapped({ '10.0.0.1:7000': { host: '127.0.0.1', port: 17000 } }, '10.0.0.1:7000'); // '127.0.0.1:17000'
 * natMapped(undefined, '10.0.0.1:7000'); // '10.0.0.1:7000'
 * ```
 */
export function natMapped(natMap: ClusterOptions['natMap'], hostPort: string): string {
  const mapped = typeof natMap === 'function' ? natMap(hostPort) : natMap?.[hostPort];
  return mapped ? `${mapped.host}:${mapped.port}` : hostPort;
}
