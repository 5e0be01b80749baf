import { splitHandshake } from './handshake';

describe('splitHandshake', () => {
  it('should give ioredis nothing to send, and put credentials and protocol into one HELLO', () => {
    const { socketOptions, hello, setName } = splitHandshake({
      username: 'app',
      password: 'pâss',
      connectionName: 'svc',
      protocol: 2,
      db: 0,
      readOnly: true,
      tls: {},
      connectTimeout: 500,
    });
    expect(socketOptions).toEqual({ tls: {}, connectTimeout: 500, protocol: 2, enableReadyCheck: false, disableClientInfo: true });
    // Written as latin1: 'pâss' goes out as its UTF-8 bytes (5 of them).
    expect(Buffer.from(hello, 'latin1').toString('utf8')).toBe('*5\r\n$5\r\nHELLO\r\n$1\r\n2\r\n$4\r\nAUTH\r\n$3\r\napp\r\n$5\r\npâss\r\n');
    expect(setName).toBe('*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$3\r\nsvc\r\n');
  });

  it('should default to RESP3, the default user and our connection name', () => {
    const { hello, setName } = splitHandshake({ password: 'secret' });
    expect(hello).toBe('*5\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$6\r\nsecret\r\n');
    expect(setName).toContain('cluster-pubsub');
    expect(splitHandshake({}).hello).toBe('*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n');
  });
});
