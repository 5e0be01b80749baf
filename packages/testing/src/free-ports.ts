import { createServer, type Server } from 'node:net';
import { LocalClusterError } from './errors';

/**
 * Redis Cluster puts each node's bus on its port + 10000 (unless `cluster-port` says otherwise).
 *
 * @example
 * ```ts
 * const [port] = await findFreePorts(1); // port + BUS_PORT_OFFSET is free too
 * ```
 */
export const BUS_PORT_OFFSET = 10000;

// Ports handed out earlier in this process. The OS may hand a just-released port out again, and a
// second cluster started concurrently must not pick a port the first has not bound yet.
const handedOut = new Set<number>();

/**
 * Asks the OS for `count` ports that are free together with their cluster bus port (+10000).
 *
 * Every candidate stays bound until all are found, so one call never returns a port twice.
 * The ports are free when this resolves; another process could still take one before
 * `redis-server` binds it, which `startCluster` handles by retrying with fresh ports.
 *
 * @example
 * ```ts
 * const [port] = await findFreePorts(1); // e.g. 41873, with 51873 free as well
 * ```
 */
export async function findFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const held: Server[] = [];
  const ports: number[] = [];
  try {
    for (let attempt = 0; ports.length < count; attempt += 1) {
      if (attempt > count * 50) {
        throw new LocalClusterError(`could not find ${count} free port pairs (p, p+10000) on ${host}`);
      }
      const main = await listen(host, 0);
      if (main === undefined) continue;
      held.push(main.server);
      const port = main.port;
      if (handedOut.has(port) || port + BUS_PORT_OFFSET > 65535) continue;
      const bus = await listen(host, port + BUS_PORT_OFFSET);
      if (bus === undefined) continue;
      held.push(bus.server);
      ports.push(port);
    }
  } finally {
    await Promise.all(held.map((server) => new Promise((done) => server.close(done))));
  }
  for (const port of ports) handedOut.add(port);
  return ports;
}

function listen(host: string, port: number): Promise<{ server: Server; port: number } | undefined> {
  return new Promise((done) => {
    const server = createServer();
    server.unref();
    server.once('error', () => done(undefined));
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      done(typeof address === 'object' && address !== null ? { server, port: address.port } : undefined);
    });
  });
}
