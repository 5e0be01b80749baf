import { parseClusterNodes, parseClusterSlots, parseInfo, slotsSignature } from './cluster-replies';

const NODES = [
  'aaa 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-99 101 [102->-bbb]',
  'bbb 127.0.0.1:7001@17001,host-b master,fail - 0 0 2 disconnected',
  'ccc 127.0.0.1:7002@17002 slave aaa 0 0 1 connected',
  '',
].join('\n');

describe('parseClusterNodes', () => {
  it('should read roles, masters, links, slot ranges and open slots', () => {
    const [a, b, c] = parseClusterNodes(NODES, '127.0.0.1');
    expect(a).toMatchObject({
      id: 'aaa',
      port: 7000,
      role: 'master',
      slots: [
        [0, 99],
        [101, 101],
      ],
      openSlots: [102],
    });
    expect(b).toMatchObject({
      host: '127.0.0.1',
      port: 7001,
      flags: ['master', 'fail'],
      connected: false,
      slots: [],
    });
    expect(c).toMatchObject({ role: 'replica', masterId: 'aaa', connected: true });
  });

  it('should give a node that has met nobody yet the address it was asked on', () => {
    const [self] = parseClusterNodes('aaa :7000@17000 myself,master - 0 0 0 connected\n', '127.0.0.1');
    expect(self).toMatchObject({ host: '127.0.0.1', port: 7000 });
  });
});

describe('parseClusterSlots', () => {
  it('should sort ranges and replicas so equal maps compare equal', () => {
    const one = [
      [5, 9, ['127.0.0.1', 7001, 'bbb'], ['127.0.0.1', 7004, 'eee'], ['127.0.0.1', 7003, 'ddd']],
      [0, 4, ['127.0.0.1', 7000, 'aaa']],
    ];
    const other = [
      [0, 4, ['127.0.0.1', 7000, 'aaa']],
      [5, 9, ['127.0.0.1', 7001, 'bbb'], ['127.0.0.1', 7003, 'ddd'], ['127.0.0.1', 7004, 'eee']],
    ];
    expect(parseClusterSlots(one)[1]).toEqual({
      first: 5,
      last: 9,
      masterId: 'bbb',
      replicaIds: ['ddd', 'eee'],
    });
    expect(slotsSignature(parseClusterSlots(one))).toBe(slotsSignature(parseClusterSlots(other)));
  });
});

describe('parseInfo', () => {
  it('should read key:value lines and skip section headers', () => {
    const info = parseInfo('# Cluster\r\ncluster_state:ok\r\ncluster_slots_assigned:16384\r\n');
    expect(info.get('cluster_state')).toBe('ok');
    expect(info.has('# Cluster')).toBe(false);
  });
});
