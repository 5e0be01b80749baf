import { MessageView } from './message-view';
import type { PubSubMessageType } from './pubsub-message';

/** @internal A confirmation's type, as the server names it: every type but the three messages. */
export type ConfirmationType = Exclude<PubSubMessageType, 'message' | 'pmessage' | 'smessage'>;

/** @internal What a subscriber connection's bytes say, frame by frame. */
export interface PubSubReaderEvents {
  /** A `message` (or, with `sharded`, an `smessage`): the view is valid during the call only. */
  message(view: MessageView, sharded: boolean): void;
  /** A `pmessage`: the view has its pattern. */
  pmessage(view: MessageView): void;
  /**
   * A (P|S)(UN)SUBSCRIBE confirmation of the name in `name`'s channel (null for none): a view,
   * valid during the call only, so its key is made only where it is needed.
   */
  confirmation(type: ConfirmationType, name: MessageView | null, count: number): void;
  /** The answer to a PING: `+PONG`, or `pong` in subscriber mode. */
  pong(): void;
  /** An error reply. */
  error(message: string): void;
  /** Any other reply (none is expected on a subscriber connection). */
  other(): void;
}

/** @internal The server broke the protocol: the connection must be dropped. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

const CR = 13;
const ARRAY = 42; // '*'
const PUSH = 62; // '>' (RESP3)
const BULK = 36; // '$'
const INT = 58; // ':'
const SIMPLE = 43; // '+'
const ERROR = 45; // '-'
/** Frames the reader decodes in place; anything longer is skipped as `other`. */
const MAX_ELEMENTS = 4;
const INCOMPLETE = -1;
/** Bytes of a new read joined to a frame begun earlier, at the least (a cut header needs a few). */
const JOIN_AT_LEAST = 256;

/**
 * @internal Reads RESP2 and RESP3 frames of a connection in subscriber mode. Messages are handed
 * over as offsets into the socket's own chunk (one reused view, no array, no Buffer per field),
 * so what a message costs is what its observers ask for: a string, or a copy of its bytes.
 *
 * A frame split across reads is kept until enough bytes arrived to finish it; the bytes it needs
 * are known from its bulk lengths, so a large payload is joined once, not once per read.
 */
export class PubSubReader {
  private readonly view = new MessageView();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** At least this many bytes from the start of the pending frame are needed to finish it. */
  private need = 0;
  /** Offsets of the current frame's elements (start, end), or start -1 for an integer. */
  private readonly starts = new Int32Array(MAX_ELEMENTS);
  private readonly ends = new Int32Array(MAX_ELEMENTS);
  private integer = 0;
  /** Where the line `lineInt` read ends (its CR), or -1 when it goes on past the bytes read. */
  private lineEnd = -1;

  constructor(private readonly events: PubSubReaderEvents) {}

  /** Reads one chunk from the socket. Throws ProtocolError on bytes that are not RESP. */
  write(chunk: Buffer): void {
    let at = 0;
    if (this.pendingBytes > 0) {
      at = this.finishPending(chunk);
      if (at === INCOMPLETE) return;
    }
    const end = chunk.length;
    while (at < end) {
      const next = this.frame(chunk, at, end);
      if (next === INCOMPLETE) {
        const rest = chunk.subarray(at);
        this.pending.push(rest);
        this.pendingBytes = rest.length;
        return;
      }
      at = next;
    }
  }

  /**
   * Finishes the frame begun in earlier reads with the start of `chunk`, joining only as many of
   * its bytes as the frame needs (not the whole chunk: nearly every read ends inside a frame, and
   * copying each 64 kB read once more doubled what a backlog cost). Returns where the next frame
   * starts in `chunk`, or INCOMPLETE when the frame goes on past it.
   */
  private finishPending(chunk: Buffer): number {
    const before = this.pendingBytes;
    if (before + chunk.length < this.need) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      return INCOMPLETE;
    }
    let take = Math.min(chunk.length, Math.max(this.need - before, JOIN_AT_LEAST));
    for (;;) {
      const joined = Buffer.concat([...this.pending, chunk.subarray(0, take)], before + take);
      const next = this.frame(joined, 0, joined.length);
      if (next !== INCOMPLETE) {
        this.pending = [];
        this.pendingBytes = 0;
        return next - before;
      }
      if (take === chunk.length) {
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        return INCOMPLETE;
      }
      // `need` was a lower bound (a header was cut): take more, doubling, until the frame ends.
      take = Math.min(chunk.length, Math.max(this.need - before, take * 2));
    }
  }

  /** Reads the frame at `at`; returns where the next one starts, or INCOMPLETE. */
  private frame(buffer: Buffer, at: number, end: number): number {
    const type = buffer[at];
    if (type === ARRAY || type === PUSH) return this.array(buffer, at, end);
    if (type === SIMPLE || type === ERROR) {
      const lineEnd = buffer.indexOf(CR, at + 1);
      if (lineEnd < 0 || lineEnd + 1 >= end) return this.incomplete(at, end, end + 1);
      if (type === ERROR) this.events.error(buffer.toString('utf8', at + 1, lineEnd));
      else if (buffer.toString('latin1', at + 1, lineEnd).toUpperCase() === 'PONG') this.events.pong();
      else this.events.other();
      return lineEnd + 2;
    }
    // Any other value (a bulk, an integer, a RESP3 null or map…): none is expected here, so skip it.
    const after = this.skip(buffer, at, end);
    if (after === INCOMPLETE) return this.incomplete(at, end, end + 1);
    return this.other(after);
  }

  private array(buffer: Buffer, at: number, end: number): number {
    const count = this.lineInt(buffer, at + 1, end);
    const headerEnd = this.lineEnd;
    if (headerEnd < 0 || headerEnd + 1 >= end) return this.incomplete(at, end, end + 1);
    let p = headerEnd + 2;
    if (count > MAX_ELEMENTS || count < 1) {
      for (let i = 0; i < count; i++) {
        p = this.skip(buffer, p, end);
        if (p === INCOMPLETE) return this.incomplete(at, end, end + 1);
      }
      return this.other(p);
    }
    const { starts, ends } = this;
    for (let i = 0; i < count; i++) {
      if (p >= end) return this.incomplete(at, end, end + 1);
      const kind = buffer[p];
      if (kind !== BULK && kind !== INT) {
        const next = this.skip(buffer, p, end);
        if (next === INCOMPLETE) return this.incomplete(at, end, end + 1);
        starts[i] = -2;
        p = next;
        continue;
      }
      const value = this.lineInt(buffer, p + 1, end);
      const lineEnd = this.lineEnd;
      if (lineEnd < 0 || lineEnd + 1 >= end) return this.incomplete(at, end, end + 1);
      if (kind === BULK) {
        if (value < 0) {
          starts[i] = -2; // null
          p = lineEnd + 2;
          continue;
        }
        const start = lineEnd + 2;
        const stop = start + value;
        if (stop + 2 > end) return this.incomplete(at, end, stop + 2);
        starts[i] = start;
        ends[i] = stop;
        p = stop + 2;
      } else {
        starts[i] = -1;
        this.integer = value;
        p = lineEnd + 2;
      }
    }
    this.dispatch(buffer, count);
    return p;
  }

  /**
   * Reads the integer of a header line (`*3`, `$12`, `:1`) from `from`, up to its CR, and sets
   * `lineEnd` to where the CR is, or to -1 when the line goes on past `end`. These lines are a
   * few digits long: reading them here costs less than a call out to `Buffer#indexOf` for each.
   * Anything but digits (after an optional `-`) breaks the protocol.
   */
  private lineInt(buffer: Buffer, from: number, end: number): number {
    let i = from;
    let negative = false;
    if (i < end && buffer[i] === 45 /* - */) {
      negative = true;
      i++;
    }
    let value = 0;
    for (; i < end; i++) {
      const byte = buffer[i] as number;
      if (byte === CR) {
        this.lineEnd = i;
        return negative ? -value : value;
      }
      const digit = byte - 48;
      if (digit < 0 || digit > 9) throw new ProtocolError('a malformed length or integer in a reply');
      value = value * 10 + digit;
    }
    this.lineEnd = -1;
    return 0;
  }

  /** Hands a decoded frame of `count` elements to its event. */
  private dispatch(buffer: Buffer, count: number): void {
    const { starts, ends, view, events } = this;
    const start = starts[0] as number;
    if (start < 0) return events.other();
    const length = (ends[0] as number) - start;
    const first = buffer[start];
    // Only pub/sub frames reach a subscriber connection: length and first letter tell them apart.
    if (length === 7 && first === 109 /* m */ && count === 3) {
      view.set(buffer, -1, -1, starts[1] as number, ends[1] as number, starts[2] as number, ends[2] as number);
      return events.message(view, false);
    }
    if (length === 8 && count === 3 && first === 115 /* s */) {
      view.set(buffer, -1, -1, starts[1] as number, ends[1] as number, starts[2] as number, ends[2] as number);
      return events.message(view, true);
    }
    if (length === 8 && count === 4 && first === 112 /* p */) {
      view.set(buffer, starts[1] as number, ends[1] as number, starts[2] as number, ends[2] as number, starts[3] as number, ends[3] as number);
      return events.pmessage(view);
    }
    if (length === 4 && first === 112 /* p */) return events.pong();
    const type = count === 3 ? confirmationType(length, first as number) : undefined;
    if (type === undefined) return events.other();
    const nameStart = starts[1] as number;
    const countValue = starts[2] === -1 ? this.integer : 0;
    if (nameStart < 0) return events.confirmation(type, null, countValue);
    view.set(buffer, -1, -1, nameStart, ends[1] as number, 0, 0);
    events.confirmation(type, view, countValue);
  }

  private other(next: number): number {
    this.events.other();
    return next;
  }

  /** Skips one value of any RESP2/RESP3 type; returns where the next starts, or INCOMPLETE. */
  private skip(buffer: Buffer, at: number, end: number): number {
    if (at >= end) return INCOMPLETE;
    const type = buffer[at] as number;
    switch (type) {
      case BULK:
      case 61: // '=' verbatim string
      case 33: /* '!' bulk error */ {
        const length = this.lineInt(buffer, at + 1, end);
        const p = this.lineEnd + 2;
        if (this.lineEnd < 0 || p > end) return INCOMPLETE;
        if (length < 0) return p;
        return p + length + 2 > end ? INCOMPLETE : p + length + 2;
      }
      case ARRAY:
      case PUSH:
      case 126: // '~' set
      case 37: // '%' map: two values per entry
      case 124: /* '|' attributes, as a map */ {
        const count = this.lineInt(buffer, at + 1, end) * (type === 37 || type === 124 ? 2 : 1);
        let p = this.lineEnd + 2;
        if (this.lineEnd < 0 || p > end) return INCOMPLETE;
        for (let i = 0; i < count && p !== INCOMPLETE; i++) p = this.skip(buffer, p, end);
        return p;
      }
      case SIMPLE:
      case ERROR:
      case INT:
      case 95: // '_' null
      case 44: // ',' double
      case 35: // '#' boolean
      case 40: /* '(' big number */ {
        const lineEnd = buffer.indexOf(CR, at + 1);
        return lineEnd < 0 || lineEnd + 2 > end ? INCOMPLETE : lineEnd + 2;
      }
      default:
        throw new ProtocolError(`unexpected byte ${type} at the start of a value`);
    }
  }

  /** The frame at `at` is not whole: at least `needed` bytes from the buffer's start are. */
  private incomplete(at: number, end: number, needed: number): number {
    this.need = Math.max(needed, end + 1) - at;
    return INCOMPLETE;
  }
}

/** A confirmation's type by its length and first letter, the only ones a subscriber connection gets. */
function confirmationType(length: number, first: number): ConfirmationType | undefined {
  const p = first === 112; // 'p'
  const s = first === 115; // 's'
  if (length === 9 && s) return 'subscribe';
  if (length === 11 && first === 117 /* u */) return 'unsubscribe';
  if (length === 10) return p ? 'psubscribe' : s ? 'ssubscribe' : undefined;
  if (length === 12) return p ? 'punsubscribe' : s ? 'sunsubscribe' : undefined;
  return undefined;
}
