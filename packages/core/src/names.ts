import { InvalidArgumentError } from './errors';
import type { Encoding, Name } from './pubsub-message';

/**
 * @internal A validated name: its exact bytes, and `key`, a string that is equal for equal bytes
 * and different for different bytes (latin1 maps each byte to one char), used in every map.
 */
export interface NameRef {
  readonly bytes: Buffer;
  readonly key: string;
}

/** @internal Checks one name and gives its bytes and map key; throws before any I/O. */
export function toNameRef(name: unknown, what: string): NameRef {
  if (typeof name === 'string') {
    const bytes = Buffer.from(name, 'utf8');
    return { bytes, key: bytes.toString('latin1') };
  }
  if (Buffer.isBuffer(name)) return { bytes: name, key: name.toString('latin1') };
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
