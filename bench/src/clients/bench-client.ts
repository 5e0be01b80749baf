import type { HostPort } from '@cluster-pubsub/testing';
import type { Workload } from '../options';

/** Classic channels (SUBSCRIBE / PUBLISH) or sharded ones (SSUBSCRIBE / SPUBLISH). */
export type ChannelKind = 'classic' | 'sharded';

/**
 * Who a row is: our library, the raw ioredis floor we are built on, another cluster client we
 * compare against ("peer"), or a bare socket that shows the server's own ceiling ("bare").
 */
export type ClientFamily = 'ours' | 'raw' | 'peer' | 'bare';

/** Called with each payload of the one channel a latency / throughput / drain run listens to. */
export type OnMessage = (payload: string) => void;

/**
 * One client under test, as the workloads drive it. Every method uses the client's own normal
 * API; a form the API does not have is left out (and shows as n/a in the table).
 */
export interface BenchSession {
  /** Subscribes one channel and resolves once the server confirmed it. */
  listen(channel: string, onMessage: OnMessage): Promise<void>;
  /** Publishes through the client's own publish (or spublish) path. */
  publish(channel: string, payload: string): Promise<unknown>;
  /** One subscribe call per channel; resolves once every one is confirmed. */
  subscribeEach(channels: string[]): Promise<void>;
  /** One unsubscribe call per channel; resolves once every one is confirmed. */
  unsubscribeEach(channels: string[]): Promise<void>;
  /** One call for all channels, where the API has such a form. */
  subscribeBatch?(channels: string[]): Promise<void>;
  /** One call that unsubscribes everything, where the API has such a form. */
  unsubscribeBatch?(): Promise<void>;
  close(): Promise<void>;
}

/** A client as listed in the table. */
export interface BenchClient {
  /** Stable id used on the command line and in the JSON. */
  readonly id: string;
  /** Row label. */
  readonly label: string;
  readonly kind: ChannelKind;
  readonly family: ClientFamily;
  /** The workloads it runs, when not all of them. */
  readonly workloads?: readonly Workload[];
  open(nodes: readonly HostPort[]): Promise<BenchSession>;
}

/** The workloads of `selected` that `client` runs. */
export function workloadsOf(client: BenchClient, selected: readonly Workload[]): Workload[] {
  return selected.filter((w) => !client.workloads || client.workloads.includes(w));
}

/** The session without its batch forms, for APIs that have none. */
export function withoutBatch(session: BenchSession): BenchSession {
  return {
    listen: (channel, onMessage) => session.listen(channel, onMessage),
    publish: (channel, payload) => session.publish(channel, payload),
    subscribeEach: (channels) => session.subscribeEach(channels),
    unsubscribeEach: (channels) => session.unsubscribeEach(channels),
    close: () => session.close(),
  };
}
