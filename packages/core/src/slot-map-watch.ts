import type { Cluster } from 'ioredis';
import { SLOT_COUNT } from './key-slot';
import { natMapped } from './nat-map';

/**
 * @internal The periodic look at the slot map (every `slotsRefreshInterval`, 1 s by default),
 * made cheap enough to run that often. ioredis's own refresh opens a new connection for each
 * CLUSTER SLOTS and then rebuilds its tables over all 16,384 slots: about 5–7 ms of blocked event
 * loop every second on 3 masters, which is where a subscriber's p99 latency went. This asks
 * CLUSTER SLOTS on a command connection that is already open (our connections never block) and
 * hands over to ioredis's full refresh only when the answer differs from the map ioredis holds,
 * could not be had, or a node of the map has no command connection left (ioredis re-adds a
 * dropped one on refresh). The map ioredis holds is read after each of its refreshes (the first,
 * at connect, included): the first look used to find nothing seen yet and refresh in full, a
 * 10–14 ms stall of the event loop a second after connecting, in the middle of the first
 * messages (at 2,000 msg/s, 20–30 of them waited for it: half of what makes a p99 in 3 s).
 *
 * What counts as seen is the map ioredis loaded, never the answer that asked for the refresh:
 * during a failover the nodes disagree for a few milliseconds, and ioredis's refresh may read a
 * node that has not heard yet (or join a refresh already reading one). Taking the newer answer as
 * seen then left ioredis on the old map for good, and with it a sharded subscription the old
 * master had dropped. Loaded and answered maps compare in one form: CLUSTER SLOTS is read as
 * ioredis reads it (its `natMap` applied, nodes without an address left out).
 */
export class SlotMapWatch {
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  /** The slot map as last seen, in a comparable form. */
  private seen: string | undefined;
  /**
   * The node lists of the map ioredis loaded, one per range, by reference: a MOVED answer makes
   * ioredis rewrite a range's list in place, and the next look sees it.
   */
  private owners: readonly (readonly string[])[] = [];
  /** Which master is asked next: the question goes round, so one slow node does not stall it. */
  private turn = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    /** ioredis's full refresh (which also tells every refresh listener). */
    private readonly refresh: () => Promise<void>,
    /** Whether the node `host:port` has a command connection that has not ended. */
    private readonly hasCommandConnection: (nodeKey: string) => boolean,
  ) {
    cluster.on('refresh', () => {
      ({ fingerprint: this.seen, owners: this.owners } = readLoaded(cluster.slots));
    });
  }

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look; a look still in flight (a slow node) makes the next tick skip. */
  async tick(): Promise<void> {
    if (this.inFlight || this.cluster.status !== 'ready') return;
    this.inFlight = true;
    try {
      const now = await this.ask();
      if (now !== undefined && now === this.seen && this.poolComplete()) return;
      // `seen` becomes what the refresh loaded (the 'refresh' listener): if that is not `now`,
      // the next look refreshes again.
      await this.refresh();
    } finally {
      this.inFlight = false;
    }
  }

  /** CLUSTER SLOTS from one ready master, as a comparable string; undefined if it failed. */
  private async ask(): Promise<string | undefined> {
    const masters = this.cluster.nodes('master').filter((node) => node.status === 'ready');
    const node = masters[this.turn++ % Math.max(1, masters.length)];
    if (!node) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.timeoutMs);
      timer.unref();
    });
    try {
      const reply = await Promise.race([node.call('CLUSTER', 'SLOTS'), late]);
      return reply === undefined ? undefined : fingerprint(reply, (address) => natMapped(this.cluster.options.natMap, address));
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Every node the slot map names still has a command connection that has not ended. It reads the
   * ranges' lists kept at the last refresh, not ioredis's 16,384 slots. Walking those took 440–470
   * µs the first time (code not yet optimized, a second after connecting, where the latency
   * bench's measured window begins), then 35–40 µs; the lists take 60 µs, then 10–15.
   */
  private poolComplete(): boolean {
    for (const owners of this.owners) for (const key of owners) if (!this.hasCommandConnection(key)) return false;
    return true;
  }
}

/**
 * The slot map ioredis holds (a node list per slot, shared by the slots of a range) in the form of
 * `fingerprint` (ranges in slot order, each with its nodes' addresses), and its distinct lists.
 */
function readLoaded(slots: readonly (readonly string[] | undefined)[]): { fingerprint: string; owners: (readonly string[])[] } {
  const ranges: string[] = [];
  const lists: (readonly string[])[] = [];
  let start = 0;
  let owners: readonly string[] | undefined;
  let joined = '';
  for (let slot = 0; slot <= SLOT_COUNT; slot++) {
    const here = slot < SLOT_COUNT ? slots[slot] : undefined;
    if (here === owners) continue;
    if (here) lists.push(here);
    const hereJoined = here ? here.join(',') : '';
    if (hereJoined === joined && slot < SLOT_COUNT) {
      owners = here;
      continue;
    }
    if (joined !== '') ranges.push(`${start}-${slot - 1}=${joined}`);
    owners = here;
    joined = hereJoined;
    start = slot;
  }
  return { fingerprint: ranges.join(' '), owners: lists };
}

/**
 * A CLUSTER SLOTS reply as one string: ranges in slot order, each with its nodes' addresses as
 * ioredis loads them (`address` maps each `host:port`; a node without a host is left out).
 */
function fingerprint(reply: unknown, address: (hostPort: string) => string): string | undefined {
  if (!Array.isArray(reply)) return undefined;
  const ranges: string[] = [];
  for (const range of reply as unknown[][]) {
    const nodes: string[] = [];
    for (const node of range.slice(2)) {
      if (!Array.isArray(node)) nodes.push('?');
      else if (node[0]) nodes.push(address(`${String(node[0])}:${String(node[1])}`));
    }
    ranges.push(`${String(range[0])}-${String(range[1])}=${nodes.join(',')}`);
  }
  return ranges.sort((a, b) => parseInt(a, 10) - parseInt(b, 10)).join(' ');
}
