import { parseClusterNodes, parseClusterSlots } from './cluster-replies';
import type { ClusterSnapshot, NodeView } from './cluster-snapshot';
import { instability } from './stability';

const M1 = 'a'.repeat(40);
const M2 = 'b'.repeat(40);
const R1 = 'c'.repeat(40);

/** CLUSTER NODES as every node would print it, with `myself` on the given port. */
function nodesText(self: number, overrides: Record<number, string> = {}): string {
  const lines: Record<number, string> = {
    7000: `${M1} 127.0.0.1:7000@17000 master - 0 0 1 connected 0-8191`,
    7001: `${M2} 127.0.0.1:7001@17001 master - 0 0 2 connected 8192-16383`,
    7002: `${R1} 127.0.0.1:7002@17002 slave ${M1} 0 0 1 connected`,
    ...overrides,
  };
  return Object.entries(lines)
    .map(([port, line]) => (Number(port) === self ? line.replace(/ (master|slave)/, ' myself,$1') : line))
    .join('\n');
}

const SLOTS = [
  [0, 8191, ['127.0.0.1', 7000, M1], ['127.0.0.1', 7002, R1]],
  [8192, 16383, ['127.0.0.1', 7001, M2]],
];

function view(port: number, options: { state?: string; nodes?: string; slots?: unknown[] } = {}): NodeView {
  return {
    node: { host: '127.0.0.1', port },
    alive: true,
    clusterState: options.state ?? 'ok',
    nodes: parseClusterNodes(options.nodes ?? nodesText(port), '127.0.0.1'),
    slots: parseClusterSlots(options.slots ?? SLOTS),
  };
}

function snapshot(...views: NodeView[]): ClusterSnapshot {
  return { views, live: views.filter((v) => v.alive) };
}

describe('instability', () => {
  it('should accept three nodes that agree on everything', () => {
    expect(instability(snapshot(view(7000), view(7001), view(7002)), true)).toBeNull();
  });

  it('should name a node that is not in cluster_state:ok', () => {
    expect(instability(snapshot(view(7000), view(7001, { state: 'fail' }), view(7002)), true)).toBe(
      '127.0.0.1:7001 says cluster_state:fail',
    );
  });

  it('should wait until a dead node is flagged fail by every live node', () => {
    const dead: NodeView = { ...view(7002), alive: false, nodes: [], slots: [] };
    const pfail = { 7002: `${R1} 127.0.0.1:7002@17002 slave,fail? ${M1} 0 0 1 disconnected` };
    const fail = { 7002: `${R1} 127.0.0.1:7002@17002 slave,fail ${M1} 0 0 1 disconnected` };
    const slots = [[0, 8191, ['127.0.0.1', 7000, M1]], SLOTS[1]];
    expect(
      instability(
        snapshot(
          view(7000, { nodes: nodesText(7000, pfail), slots }),
          view(7001, { nodes: nodesText(7001, fail), slots }),
          dead,
        ),
        true,
      ),
    ).toContain('does not yet flag the dead node 127.0.0.1:7002 as fail');
    expect(
      instability(
        snapshot(
          view(7000, { nodes: nodesText(7000, fail), slots }),
          view(7001, { nodes: nodesText(7001, fail), slots }),
          dead,
        ),
        true,
      ),
    ).toBeNull();
  });

  it('should wait for a replica that CLUSTER SLOTS does not list yet', () => {
    const slots = [[0, 8191, ['127.0.0.1', 7000, M1]], SLOTS[1]];
    expect(
      instability(snapshot(view(7000, { slots }), view(7001, { slots }), view(7002, { slots })), true),
    ).toBe('replica 127.0.0.1:7002 is not yet listed in CLUSTER SLOTS');
  });

  it('should report nodes that disagree on who owns a slot', () => {
    const moved = {
      7000: `${M1} 127.0.0.1:7000@17000 master - 0 0 1 connected 0-8190`,
      7001: `${M2} 127.0.0.1:7001@17001 master - 0 0 3 connected 8191-16383`,
    };
    expect(
      instability(snapshot(view(7000), view(7001, { nodes: nodesText(7001, moved) }), view(7002)), true),
    ).toBe('127.0.0.1:7000 and 127.0.0.1:7001 disagree on roles or slot owners');
  });

  it('should report a half-migrated slot', () => {
    const open = { 7000: `${M1} 127.0.0.1:7000@17000 master - 0 0 1 connected 0-8191 [5->-${M2}]` };
    expect(
      instability(snapshot(view(7000, { nodes: nodesText(7000, open) }), view(7001), view(7002)), true),
    ).toBe('127.0.0.1:7000 has open slots 5');
  });
});
