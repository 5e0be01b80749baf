import { InvalidArgumentError } from './errors';
import type { Encoding, Name } from './pubsub-message';
import { asciiBytesSlot, asciiKeySlot, scanned } from './key-slot';
import { hashBytes } from './name-table';

/**
 * @internal A validated name. `key` is a string that is equal for equal bytes and different for
 * different bytes (latin1 maps each byte to one char), used in every map. For an ASCII name
 * (nearly all of them) the key *is* the caller's string, and bytes or a decoded copy are only
 * made when something asks for them: a subscription costs no Buffer and no second string.
 */
export class NameRef {
  private cachedBytes: Buffer | undefined;
  private cachedText: string | undefined;

  private constructor(
    readonly key: string,
    /** Every byte < 0x80: the key, its UTF-8 text and its latin1 bytes all agree. */
    readonly ascii: boolean,
    /** The name's hash slot when known already (ASCII strings), else -1: see keySlot. */
    readonly slot: number,
    /** The key's hashKey (for the NameTable of subscribed names). */
    readonly keyHash: number,
    bytes?: Buffer,
    text?: string,
  ) {
    this.cachedBytes = bytes;
    this.cachedText = text;
  }

  static fromString(name: string): NameRef {
    // The ASCII check hashes the name on the way: routing needs its slot next.
    const slot = asciiKeySlot(name);
    if (slot >= 0) return new NameRef(name, true, slot, scanned.keyHash);
    const bytes = Buffer.from(name, 'utf8');
    const key = bytes.toString('latin1');
    return new NameRef(key, false, -1, hashBytes(bytes, 0, bytes.length), bytes, name);
  }

  static fromBytes(bytes: Buffer): NameRef {
    const key = bytes.toString('latin1');
    // As for strings: one pass over the bytes tells ASCII apart and gives its slot and hash.
    const slot = asciiBytesSlot(bytes, bytes.length);
    if (slot >= 0) return new NameRef(key, true, slot, scanned.keyHash, bytes);
    return new NameRef(key, false, -1, hashBytes(bytes, 0, bytes.length), bytes);
  }

  /** The name's exact bytes. */
  get bytes(): Buffer {
    return (this.cachedBytes ??= Buffer.from(this.key, 'latin1'));
  }

  /** The name decoded as UTF-8. */
  get text(): string {
    return this.ascii ? this.key : (this.cachedText ??= this.bytes.toString('utf8'));
  }

  /** What to hand ioredis: the string itself when ASCII (cheapest to write), else the bytes. */
  get wire(): string | Buffer {
    return this.ascii ? this.key : this.bytes;
  }

  /** The name as the caller asked for it. */
  as(encoding: Encoding): string | Buffer {
    return encoding === 'buffer' ? this.bytes : this.text;
  }
}

/** @internal Checks one name and gives its bytes and map key; throws before any I/O. */
export function toNameRef(name: unknown, what: string): NameRef {
  if (typeof name === 'string') return NameRef.fromString(name);
  if (Buffer.isBuffer(name)) return NameRef.fromBytes(name);
  throw new InvalidArgumentError(
    `${what} must be a string or a Buffer, got ${describe(name)}`,
  );
}

/** @internal Checks a payload (string or Buffer) before any I/O. */
export function checkPayload(payload: unknown): asserts payload is Name {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
    throw new InvalidArgumentError(`a message must be a string or a Buffer, got ${describe(payload)}`);
  }
}

/** @internal Checks an `encoding` option. */
export function checkEncoding(encoding: unknown): Encoding {
  if (encoding === undefined) return 'utf8';
  if (encoding === 'utf8' || encoding === 'buffer') return encoding;
  throw new InvalidArgumentError(`encoding must be 'utf8' or 'buffer', got ${describe(encoding)}`);
}

/** @internal Bytes as the caller asked for them. */
export function decode(bytes: Buffer, encoding: Encoding): string | Buffer {
  return encoding === 'buffer' ? bytes : bytes.toString('utf8');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
