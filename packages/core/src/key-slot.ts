import calculateSlot from 'cluster-key-slot';

/** Number of hash slots of a Redis Cluster. */
export const SLOT_COUNT = 16384;

const OPEN = 0x7b; // '{'
const CLOSE = 0x7d; // '}'

/**
 * The hash slot of a key or channel name, exactly as the server's `CLUSTER KEYSLOT` computes it.
 *
 * `cluster-key-slot` disagrees with the server when an empty `{}` comes first and another tag
 * follows (`abc{}{def}`: the server hashes the whole name, the library hashes `def`). We find the
 * tag ourselves with the server's rule (first `{`, then the first `}` after it, non-empty between)
 * and only hand `cluster-key-slot` inputs on which it agrees.
 *
 * @example
 * ```ts
 * keySlot('orders:{42}') === keySlot('{42}');  // true: same hash tag, same slot
 * keySlot('abc{}{def}');                         // 1851, as CLUSTER KEYSLOT says
 * ```
 */
export function keySlot(name: string | Buffer): number {
  if (typeof name === 'string' && name.indexOf('{') === -1) {
    // Nearly every name: hashed from its chars, with no UTF-8 array made per name.
    const slot = asciiSlot(name);
    return slot >= 0 ? slot : calculateSlot(name);
  }
  const bytes = typeof name === 'string' ? Buffer.from(name, 'utf8') : name;
  const open = bytes.indexOf(OPEN);
  if (open === -1) return calculateSlot(bytes);
  const close = bytes.indexOf(CLOSE, open + 1);
  if (close === -1) return calculateSlot(bytes);
  if (close === open + 1) return crc16(bytes) % SLOT_COUNT;
  // The tag itself holds no '}', so cluster-key-slot finds no tag inside it and hashes it whole.
  return calculateSlot(bytes.subarray(open + 1, close));
}

/** CRC16-XMODEM over all bytes, with no hash-tag parsing: the server's rule for `{}` names. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ (CRC_TABLE[(crc >> 8) ^ byte] as number);
  return crc;
}

/** The slot of an ASCII string with no hash tag (its chars are its bytes), or -1 if not ASCII. */
function asciiSlot(name: string): number {
  let crc = 0;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code > 0x7f) return -1;
    crc = ((crc << 8) & 0xffff) ^ (CRC_TABLE[(crc >> 8) ^ code] as number);
  }
  return crc % SLOT_COUNT;
}

/** CRC16-XMODEM (polynomial 0x1021) of each byte value, for a byte at a time. */
const CRC_TABLE = Uint16Array.from({ length: 256 }, (_, byte) => {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});
