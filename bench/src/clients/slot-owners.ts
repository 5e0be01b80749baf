import { connect, type Socket } from 'node:net';
import calculateSlot from 'cluster-key-slot';
import Redis from 'ioredis';
import type { HostPort } from '@cluster-pubsub/testing';

/** `host:port` of the master owning each of the 16,384 slots, from CLUSTER SLOTS. */
export async function slotOwners(nodes: readonly HostPort[]): Promise<string[]> {
  const first = nodes[0];
  if (!first) throw new Error('no cluster node given');
  const admin = new Redis({ host: first.host, port: first.port, lazyConnect: true });
  try {
    await admin.connect();
    const ranges = (await admin.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    const owners = new Array<string>(16384).fill('');
    for (const [from, to, [host, port]] of ranges) owners.fill(`${host}:${port}`, from, to + 1);
    return owners;
  } finally {
    admin.disconnect();
  }
}

/** `host:port` → `{ host, port }`. */
export function toHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

/** A plain socket (no delay) to the master that owns `channel`'s slot. */
export async function connectToSlotOwner(nodes: readonly HostPort[], channel: string): Promise<Socket> {
  const owner = (await slotOwners(nodes))[calculateSlot(channel)];
  if (!owner) throw new Error(`no owner known for the slot of ${channel}`);
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect({ ...toHostPort(owner), noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}
