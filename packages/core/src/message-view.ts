import type { SubscriptionKind } from './pubsub-message';

/** @internal Where a connection finds the name a message is for. */
export interface NameLookup<T> {
  /** The name registered for (kind, key). */
  find(kind: SubscriptionKind, key: string): T | undefined;
  /** The name whose key's chars are `bytes[start..end)`. */
  findBytes(kind: SubscriptionKind, bytes: Buffer, start: number, end: number): T | undefined;
}

/**
 * @internal One message as offsets into the bytes it arrived in. The reader reuses a single view
 * for every message, so it is valid only during the call that hands it over: whatever outlives
 * the call (a string, a copy of the bytes) is taken from it then. Nothing is decoded or copied
 * unless an observer asks for it.
 */
export class MessageView {
  private buffer: Buffer = EMPTY;
  private patternStart = -1;
  private patternEnd = -1;
  private channelStart = 0;
  private channelEnd = 0;
  private dataStart = 0;
  private dataEnd = 0;

  set(
    buffer: Buffer,
    patternStart: number,
    patternEnd: number,
    channelStart: number,
    channelEnd: number,
    dataStart: number,
    dataEnd: number,
  ): void {
    this.buffer = buffer;
    this.patternStart = patternStart;
    this.patternEnd = patternEnd;
    this.channelStart = channelStart;
    this.channelEnd = channelEnd;
    this.dataStart = dataStart;
    this.dataEnd = dataEnd;
  }

  /** The registered name of the channel, found from its bytes: no key string is made. */
  findChannel<T>(kind: SubscriptionKind, names: NameLookup<T>): T | undefined {
    return names.findBytes(kind, this.buffer, this.channelStart, this.channelEnd);
  }

  /** The registered pattern of a `pmessage`. */
  findPattern<T>(names: NameLookup<T>): T | undefined {
    return names.findBytes('pattern', this.buffer, this.patternStart, this.patternEnd);
  }

  /** The channel's map key: one char per byte (see NameRef). */
  channelKey(): string {
    return this.buffer.toString('latin1', this.channelStart, this.channelEnd);
  }

  channelText(): string {
    return this.buffer.toString('utf8', this.channelStart, this.channelEnd);
  }

  dataText(): string {
    return this.buffer.toString('utf8', this.dataStart, this.dataEnd);
  }

  /** A copy: a slice would keep the whole socket chunk alive for as long as the message lives. */
  channelBytes(): Buffer {
    return copy(this.buffer, this.channelStart, this.channelEnd);
  }

  dataBytes(): Buffer {
    return copy(this.buffer, this.dataStart, this.dataEnd);
  }
}

const EMPTY = Buffer.alloc(0);

function copy(buffer: Buffer, start: number, end: number): Buffer {
  const bytes = Buffer.allocUnsafe(end - start);
  buffer.copy(bytes, 0, start, end);
  return bytes;
}
