import type { Socket } from 'node:net';
import type { HostPort } from '@cluster-pubsub/testing';
import type { ChannelKind } from './clients/bench-client';
import { connectToSlotOwner } from './clients/slot-owners';

const PIPELINE = 500;
const IN_FLIGHT = 4;

/**
 * The common publisher of the drain and throughput workloads, in the bench's process: the
 * subscriber is what is measured, so every client gets the same publisher, on the channel's slot
 * owner, as fast as the server takes it. It writes pre-encoded pipelines of PUBLISH (or SPUBLISH)
 * on a plain socket and counts the replies: a client library's own cost per command (ioredis's
 * pipeline held classic publishing to about 51k/s here, half of what the server takes from
 * redis-benchmark) would otherwise be the ceiling every subscriber is measured against.
 */
export class Publisher {
  /** Replies still owed, and who waits for the pipeline they finish. */
  private readonly waiting: { remaining: number; done: (error?: Error) => void }[] = [];
  /** The last byte read was the end of a reply (so the next one starts a reply). */
  private atLineStart = true;

  private constructor(
    private readonly socket: Socket,
    private readonly command: 'PUBLISH' | 'SPUBLISH',
  ) {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
  }

  static async connect(nodes: readonly HostPort[], channel: string, kind: ChannelKind): Promise<Publisher> {
    const socket = await connectToSlotOwner(nodes, channel);
    return new Publisher(socket, kind === 'classic' ? 'PUBLISH' : 'SPUBLISH');
  }

  /** Publishes `count` copies of `payload`, at most IN_FLIGHT pipelines at a time. */
  async publish(channel: string, payload: string, count: number): Promise<void> {
    const one = Buffer.from(resp([this.command, channel, payload]));
    const full = Buffer.concat(Array.from({ length: PIPELINE }, () => one));
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < count) {
        const size = Math.min(PIPELINE, count - next);
        next += size;
        await new Promise<void>((resolve, reject) => {
          this.waiting.push({ remaining: size, done: (error) => (error ? reject(error) : resolve()) });
          this.socket.write(size === PIPELINE ? full : full.subarray(0, one.length * size));
        });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  }

  close(): void {
    this.socket.destroy();
  }

  /** Every reply of PUBLISH is one line (`:N` or `-ERR …`): count line ends, catch errors. */
  private read(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.atLineStart && byte === 45 /* - */) {
        // An error fails the whole run; what the socket says after it no longer matters.
        const end = chunk.indexOf(13, i);
        const error = new Error(`${this.command} failed: ${chunk.toString('utf8', i + 1, end < 0 ? chunk.length : end)}`);
        for (const waiter of this.waiting.splice(0)) waiter.done(error);
        this.socket.destroy();
        return;
      }
      this.atLineStart = byte === 10;
      if (byte !== 10) continue;
      const head = this.waiting[0];
      if (head && --head.remaining === 0) {
        this.waiting.shift();
        head.done();
      }
    }
  }
}

function resp(parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
}
