import type { Socket } from 'node:net';
import type { HostPort } from '@cluster-pubsub/testing';
import type { BenchSession, ChannelKind, OnMessage } from './bench-client';
import { connectToSlotOwner } from './slot-owners';

/**
 * Not a client: the server's own ceiling. A bare socket on the slot owner sends one SUBSCRIBE (or
 * SSUBSCRIBE) and reads what comes back with the least work that still finds every message and
 * decodes its payload, as any client must. What it receives live is what the server delivers when
 * the subscriber costs next to nothing, so it says how far any client can go on this machine:
 * with two cores shared by the servers, the publisher and the subscriber, a client that spends
 * less CPU per message leaves more to the servers. Only the live workloads (throughput, drain)
 * run it; it has no API for the others.
 */
export async function openBareSocket(kind: ChannelKind, nodes: readonly HostPort[]): Promise<BenchSession> {
  return new BareSession(kind, nodes);
}

class BareSession implements BenchSession {
  private socket: Socket | undefined;

  constructor(
    private readonly kind: ChannelKind,
    private readonly nodes: readonly HostPort[],
  ) {}

  async listen(channel: string, onMessage: OnMessage): Promise<void> {
    if (this.socket) throw new Error('the bare socket listens to one channel');
    const socket = await connectToSlotOwner(this.nodes, channel);
    this.socket = socket;
    await new Promise<void>((confirmed) => {
      const reader = new PushReader(onMessage, confirmed);
      socket.on('data', (chunk: Buffer) => reader.write(chunk));
      const command = this.kind === 'classic' ? 'SUBSCRIBE' : 'SSUBSCRIBE';
      socket.write(`*2\r\n$${command.length}\r\n${command}\r\n$${Buffer.byteLength(channel)}\r\n${channel}\r\n`);
    });
  }

  publish(): Promise<unknown> {
    return Promise.reject(notMeasured());
  }

  subscribeEach(): Promise<void> {
    return Promise.reject(notMeasured());
  }

  unsubscribeEach(): Promise<void> {
    return Promise.reject(notMeasured());
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    this.socket = undefined;
  }
}

function notMeasured(): Error {
  return new Error('the bare socket only runs the live workloads (throughput, drain)');
}

/**
 * The RESP2 pushes of one subscription: arrays of bulk strings and integers. A message
 * (`message` or `smessage`, 7 or 8 bytes) hands its payload on; anything else is the
 * confirmation. An element cut by the end of a chunk is read again with the next one.
 */
class PushReader {
  private pending: Buffer | undefined;

  constructor(
    private readonly onMessage: OnMessage,
    private readonly onConfirmed: () => void,
  ) {}

  write(chunk: Buffer): void {
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let at = 0;
    while (at < buffer.length) {
      const end = this.push(buffer, at);
      if (end < 0) {
        this.pending = buffer.subarray(at);
        return;
      }
      at = end;
    }
  }

  /** Reads the push at `at`; returns where it ends, or -1 if the buffer ends first. */
  private push(buffer: Buffer, at: number): number {
    const header = line(buffer, at);
    if (header < 0) return -1;
    const elements = int(buffer, at + 1, header);
    let next = header + 2;
    let typeLength = -1;
    let payloadStart = 0;
    let payloadEnd = 0;
    for (let i = 0; i < elements; i++) {
      const lineEnd = line(buffer, next);
      if (lineEnd < 0) return -1;
      if (buffer[next] === 0x3a /* : */) {
        next = lineEnd + 2;
        continue;
      }
      const length = int(buffer, next + 1, lineEnd);
      const start = lineEnd + 2;
      next = start + length + 2;
      if (next > buffer.length) return -1;
      if (i === 0) typeLength = length;
      payloadStart = start;
      payloadEnd = start + length;
    }
    if (typeLength === 7 || typeLength === 8) this.onMessage(buffer.toString('utf8', payloadStart, payloadEnd));
    else this.onConfirmed();
    return next;
  }
}

/** Where the line starting at `at` ends (its `\r`), or -1. */
function line(buffer: Buffer, at: number): number {
  const end = buffer.indexOf(0x0d, at);
  return end < 0 || end + 1 >= buffer.length ? -1 : end;
}

/** The decimal number in `buffer[from..to)`. */
function int(buffer: Buffer, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + ((buffer[i] as number) - 0x30);
  return value;
}
