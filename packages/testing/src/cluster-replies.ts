import type { SlotRange } from './node-info';

/**
 * One line of CLUSTER NODES.
 * @internal
 */
export interface ClusterNodesEntry {
  id: string;
  host: string;
  port: number;
  flags: string[];
  role: 'master' | 'replica';
  masterId: string | null;
  connected: boolean;
  slots: SlotRange[];
  /** Slots this node is importing or migrating (`[slot-<-id]` / `[slot->-id]` entries). */
  openSlots: number[];
}

/**
 * Parses CLUSTER NODES: `<id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch>
 * <link> <slot>...`. A node that has met nobody yet reports its own ip as empty; `selfHost` fills it.
 * @internal
 */
export function parseClusterNodes(text: string, selfHost: string): ClusterNodesEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', address = '', flagText = '', master = '-', , , , link = '', ...slotFields] = line
        .trim()
        .split(' ');
      const hostPort = address.split('@')[0] ?? '';
      const colon = hostPort.lastIndexOf(':');
      const flags = flagText.split(',');
      const host = colon > 0 ? hostPort.slice(0, colon) : flags.includes('myself') ? selfHost : '';
      const port = Number(hostPort.slice(colon + 1));
      const slots: SlotRange[] = [];
      const openSlots: number[] = [];
      for (const field of slotFields) {
        if (field.startsWith('[')) {
          openSlots.push(Number.parseInt(field.slice(1), 10));
          continue;
        }
        const [first = Number.NaN, last = first] = field.split('-').map(Number);
        slots.push([first, last]);
      }
      return {
        id,
        host,
        port,
        flags,
        role: flags.includes('slave') ? 'replica' : 'master',
        masterId: master === '-' ? null : master,
        connected: link === 'connected',
        slots,
        openSlots,
      };
    });
}

/** Whether a peer considers this node failing or not yet properly known. @internal */
export function isFlaggedDown(entry: ClusterNodesEntry): boolean {
  return entry.flags.some((flag) => ['fail', 'fail?', 'handshake', 'noaddr'].includes(flag));
}

/**
 * One range of CLUSTER SLOTS, with its master and replicas by node id.
 * @internal
 */
export interface SlotsRange {
  first: number;
  last: number;
  masterId: string;
  replicaIds: string[];
}

/**
 * Parses CLUSTER SLOTS into ranges sorted by first slot, replicas sorted by id so two nodes that
 * list the same replicas in a different order still agree.
 * @internal
 */
export function parseClusterSlots(reply: unknown): SlotsRange[] {
  if (!Array.isArray(reply)) return [];
  return reply
    .map((range: unknown[]) => {
      const [first, last, master, ...replicas] = range as [number, number, unknown[], ...unknown[][]];
      return {
        first,
        last,
        masterId: String(master[2]),
        replicaIds: replicas.map((replica) => String(replica[2])).sort(),
      };
    })
    .sort((a, b) => a.first - b.first);
}

/** A string equal for two CLUSTER SLOTS replies exactly when they describe the same map. @internal */
export function slotsSignature(ranges: SlotsRange[]): string {
  return ranges.map((r) => `${r.first}-${r.last}:${r.masterId}:${r.replicaIds.join(',')}`).join(' ');
}

/** Parses INFO / CLUSTER INFO `key:value` lines. @internal */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n').flatMap((l) => l.split('\n'))) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}
