import { ProtocolError, PubSubReader, type ConfirmationType } from './pubsub-reader';
import type { NameLookup } from './message-view';

describe('PubSubReader', () => {
  it('should read message, smessage and pmessage frames', () => {
    const events = read(
      resp(['message', 'news', 'hello']),
      resp(['smessage', 'orders:{1}', 'paid']),
      resp(['pmessage', 'news.*', 'news.eu', 'bonjour']),
    );
    expect(events).toEqual([
      ['message', false, bytes('news'), bytes('hello')],
      ['message', true, bytes('orders:{1}'), bytes('paid')],
      ['pmessage', 'news.*', bytes('news.eu'), bytes('bonjour')],
    ]);
  });

  it('should read all six confirmation types with their counts', () => {
    const types: ConfirmationType[] = ['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe'];
    const events = read(...types.map((type, i) => resp([type, `name${i}`, i + 1])));
    expect(events).toEqual(types.map((type, i) => ['confirmation', type, `name${i}`, i + 1]));
  });

  it('should read a pong in both forms, errors, and other replies', () => {
    const events = read(
      Buffer.from('+PONG\r\n'),
      resp(['pong', '']),
      Buffer.from('-ERR unknown command\r\n'),
      Buffer.from('-MOVED 1234 127.0.0.1:7001\r\n'),
      Buffer.from('+OK\r\n'),
      Buffer.from(':42\r\n$3\r\nfoo\r\n$-1\r\n*0\r\n'),
    );
    expect(events).toEqual([
      ['pong'],
      ['pong'],
      ['error', 'ERR unknown command'],
      ['error', 'MOVED 1234 127.0.0.1:7001'],
      ['other'],
      ['other'],
      ['other'],
      ['other'],
      ['other'],
    ]);
  });

  it('should read RESP3 pushes', () => {
    const events = read(
      resp(['message', 'ch', 'data'], '>'),
      resp(['subscribe', 'ch', 1], '>'),
      Buffer.from('>3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n'),
    );
    expect(events).toEqual([
      ['message', false, bytes('ch'), bytes('data')],
      ['confirmation', 'subscribe', 'ch', 1],
      ['confirmation', 'unsubscribe', null, 0],
    ]);
  });

  it('should give a null key for a null bulk name in an unsubscribe confirmation', () => {
    expect(read(resp(['unsubscribe', null, 0]), resp(['punsubscribe', null, 0]))).toEqual([
      ['confirmation', 'unsubscribe', null, 0],
      ['confirmation', 'punsubscribe', null, 0],
    ]);
  });

  it('should keep binary names and payloads byte-exact, empty and large payloads included', () => {
    const name = Buffer.from([0x61, 0xff, 0x00, 0xfe, 0x0d, 0x0a]);
    const pattern = Buffer.from([0x70, 0xff, 0x2a]);
    const payload = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0d, 0x0a, 0x0a, 0xc3, 0x28]);
    const large = Buffer.alloc(70_000, 0xab);
    large.write('\r\n', 1000, 'latin1');
    const events = read(
      resp(['message', name, payload]),
      resp(['message', name, Buffer.alloc(0)]),
      resp(['pmessage', pattern, name, payload]),
      resp(['ssubscribe', name, 3]),
      resp(['message', 'big', large]),
    );
    expect(events).toEqual([
      ['message', false, name, payload],
      ['message', false, name, Buffer.alloc(0)],
      ['pmessage', pattern.toString('latin1'), name, payload],
      ['confirmation', 'ssubscribe', name.toString('latin1'), 3],
      ['message', false, bytes('big'), large],
    ]);
  });

  it('should give the same events whatever byte boundary a stream is split at', () => {
    const stream = mixedStream();
    const whole = read(stream);
    expect(whole).toHaveLength(22);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(read(stream.subarray(0, cut), stream.subarray(cut))).toEqual(whole);
    }
    const oneByOne: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) oneByOne.push(stream.subarray(i, i + 1));
    expect(read(...oneByOne)).toEqual(whole);
  });

  it('should join a large payload arriving in many small chunks once, not once per chunk', () => {
    const payload = Buffer.alloc(70_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
    const frame = Buffer.concat([resp(['message', 'big', payload]), resp(['message', 'next', 'x'])]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < frame.length; i += 1000) chunks.push(frame.subarray(i, i + 1000));
    const concat = jest.spyOn(Buffer, 'concat');
    try {
      expect(read(...chunks)).toEqual([
        ['message', false, bytes('big'), payload],
        ['message', false, bytes('next'), bytes('x')],
      ]);
      const joined = concat.mock.calls.reduce((sum, [list]) => sum + list.reduce((n, b) => n + b.length, 0), 0);
      expect(joined).toBeLessThan(frame.length * 2);
    } finally {
      concat.mockRestore();
    }
  });

  it('should throw ProtocolError on bytes that are not RESP', () => {
    expect(() => read(Buffer.from('hello\r\n'))).toThrow(ProtocolError);
    expect(() => read(resp(['message', 'a', 'b']), Buffer.from('hello\r\n'))).toThrow(ProtocolError);
    expect(() => read(Buffer.from('*x\r\n'))).toThrow(ProtocolError);
    // A malformed length inside a skipped frame too, rather than losing the rest of the read.
    expect(() => read(Buffer.from('*5\r\n$x\r\n'), resp(['message', 'a', 'b']))).toThrow(ProtocolError);
  });

  it('should report an array of more than 4 elements as other and read the next frame', () => {
    const nested = Buffer.from('*6\r\n$1\r\na\r\n*2\r\n:1\r\n$2\r\nbc\r\n+ok\r\n:5\r\n$-1\r\n%1\r\n+k\r\n+v\r\n');
    const events = read(resp(['a', 'b', 'c', 'd', 'e']), nested, resp(['message', 'ch', 'after']));
    expect(events).toEqual([['other'], ['other'], ['message', false, bytes('ch'), bytes('after')]]);
  });

  it('should skip short arrays of other types and top-level RESP3 values as other', () => {
    const frames = ['*2\r\n+foo\r\n:1\r\n', '*1\r\n-ERR x\r\n', '*2\r\n#t\r\n,1.5\r\n', '_\r\n', '#f\r\n', '%1\r\n+k\r\n:2\r\n'];
    const events = read(...frames.map((f) => Buffer.from(f)), resp(['message', 'ch', 'after']));
    expect(events).toEqual([...frames.map(() => ['other']), ['message', false, bytes('ch'), bytes('after')]]);
  });
});

type Part = string | Buffer | number | null;
type Event = (string | number | boolean | null | Buffer)[];

/** A lookup that "finds" every name as the key made of its bytes: shows what a view looks up. */
const keyOfBytes: NameLookup<string> = {
  find: (_kind, key) => key,
  findBytes: (_kind, bytes, start, end) => bytes.toString('latin1', start, end),
};

/** Feeds the chunks to a new reader; events are plain data copied during the callback. */
function read(...chunks: Buffer[]): Event[] {
  const events: Event[] = [];
  const reader = new PubSubReader({
    message: (view, sharded) => events.push(['message', sharded, view.channelBytes(), view.dataBytes()]),
    pmessage: (view) => events.push(['pmessage', view.findPattern(keyOfBytes) ?? null, view.channelBytes(), view.dataBytes()]),
    confirmation: (type, name, count) => events.push(['confirmation', type, name?.channelKey() ?? null, count]),
    pong: () => events.push(['pong']),
    error: (message) => events.push(['error', message]),
    other: () => events.push(['other']),
  });
  for (const chunk of chunks) reader.write(chunk);
  return events;
}

/** An array (or, with '>', a RESP3 push) of bulk strings, integers and null bulks. */
function resp(parts: Part[], prefix: '*' | '>' = '*'): Buffer {
  const out: Buffer[] = [Buffer.from(`${prefix}${parts.length}\r\n`)];
  for (const part of parts) {
    if (part === null) out.push(Buffer.from('$-1\r\n'));
    else if (typeof part === 'number') out.push(Buffer.from(`:${part}\r\n`));
    else {
      const data = typeof part === 'string' ? Buffer.from(part) : part;
      out.push(Buffer.from(`$${data.length}\r\n`), data, Buffer.from('\r\n'));
    }
  }
  return Buffer.concat(out);
}

function bytes(text: string): Buffer {
  return Buffer.from(text);
}

/** ~20 frames of every kind, binary bytes and a skipped long array among them. */
function mixedStream(): Buffer {
  const binary = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x24, 0x2a]);
  return Buffer.concat([
    resp(['subscribe', 'a', 1]),
    resp(['psubscribe', 'p*', 2]),
    resp(['ssubscribe', 's{1}', 1]),
    resp(['message', 'a', 'one']),
    resp(['message', binary, binary]),
    resp(['pmessage', 'p*', 'p1', '']),
    resp(['smessage', 's{1}', 'shard']),
    Buffer.from('+PONG\r\n'),
    resp(['pong', '']),
    Buffer.from('-ERR something\r\n'),
    Buffer.from('+OK\r\n'),
    resp(['message', 'a', 'pushed'], '>'),
    resp(['unsubscribe', null, 0]),
    resp(['x', 'y', 'z', 'w', binary, 7]),
    resp(['message', 'a', Buffer.alloc(300, 0x0d)]),
    resp(['sunsubscribe', 's{1}', 0]),
    resp(['punsubscribe', 'p*', 1]),
    resp(['unsubscribe', 'a', 0]),
    Buffer.from(':3\r\n'),
    resp(['pmessage', binary, binary, binary]),
    resp(['message', '', '']),
    resp(['subscribe', binary, 1]),
  ]);
}
