import { encodeCommand, encodeCommandInto, encodeCommands, groupEnds, groupForCommand } from './subscription-commands';

/** The RESP of a command, built piece by piece. */
function reference(command: string, keys: string[]): string {
  const bulk = (s: string): string => `$${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`;
  return `*${keys.length + 1}\r\n${bulk(command)}${keys.map(bulk).join('')}`;
}

describe('encodeCommand', () => {
  it('should write keys of every length and byte as RESP bulk strings', () => {
    const keys = [0, 1, 9, 10, 63, 64, 65, 99, 100, 1000, 70_000].map((n, i) => String.fromCharCode(97 + i).repeat(n));
    keys.push('\x00\xff\r\n{}', Buffer.from('é', 'utf8').toString('latin1'));
    expect(encodeCommand('subscribe', keys)).toBe(reference('subscribe', keys));
    expect(encodeCommand('PING', [])).toBe('*1\r\n$4\r\nPING\r\n');
    const many = Array.from({ length: 12_345 }, (_, i) => `n:${i}`);
    expect(encodeCommand('ssubscribe', many)).toBe(reference('ssubscribe', many));
  });
});

describe('encodeCommandInto', () => {
  it('should append commands one after the other, whatever their number of names', () => {
    const parts: string[] = [];
    const commands = [0, 1, 2, 62, 63, 64, 65, 200].map((count, i) => Array.from({ length: count }, (_, k) => `s{${i}}:${k}`));
    for (const keys of commands) encodeCommandInto(parts, 'ssubscribe', keys);
    encodeCommandInto(parts, 'sunsubscribe', ['x']);
    const expected = commands.map((keys) => reference('ssubscribe', keys)).join('') + reference('sunsubscribe', ['x']);
    expect(parts.join('')).toBe(expected);
    // The same commands as one list of names with the ends of each.
    const together: string[] = [];
    encodeCommands(together, 'ssubscribe', commands.flat(), groupEnds(commands));
    expect(together.join('')).toBe(commands.map((keys) => reference('ssubscribe', keys)).join(''));
    expect(groupEnds([['a', 'b']])).toBeNull();
    // Twice more: cached headers give the same text.
    expect(encodeCommand('ssubscribe', commands[4] as string[])).toBe(reference('ssubscribe', commands[4] as string[]));
  });
});

describe('groupForCommand', () => {
  it('should split sharded names per slot and keep other kinds whole', () => {
    const slotOf = (key: string): number => Number(key.split(':')[0]);
    expect(groupForCommand('shard', ['1:a', '2:b', '1:c'], slotOf)).toEqual([['1:a', '1:c'], ['2:b']]);
    expect(groupForCommand('channel', ['1:a', '2:b'], slotOf)).toEqual([['1:a', '2:b']]);
    expect(groupForCommand('shard', [], slotOf)).toEqual([]);
  });
});
