import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FILES } from './node-process';

/**
 * The settings every node starts with. Each departs from Redis's defaults for a reason:
 *
 * - `cluster-require-full-coverage no`: while a killed master awaits its failover, the other
 *   masters keep serving (with `yes` the whole cluster refuses every command), so a test sees the
 *   fault it injected and not a cluster-wide outage. `waitForStable` checks coverage itself.
 * - `cluster-allow-replica-migration no`: topology changes only when a test asks. Otherwise a
 *   master emptied by `migrateSlot` turns itself into a replica, and replicas wander to orphaned
 *   masters.
 * - `cluster-replica-validity-factor 0`: a replica may always be promoted, even after a long
 *   disconnection from its master (a restart test), so `kill()` always ends in a failover.
 * - `repl-diskless-sync-delay 0` and `repl-ping-replica-period 1`: a replica syncs at once, and its
 *   replication offset moves within a second. Redis leaves replicas at offset 0 out of
 *   CLUSTER SLOTS, which with the defaults lasts up to 10 s after a (re)start.
 * - `save ""`, `appendonly no`: nothing is persisted; a restarted node comes back empty.
 * @internal
 */
export function writeNodeConfig(options: {
  nodeDir: string;
  host: string;
  port: number;
  nodeTimeoutMs: number;
  extraConfig: Record<string, string>;
}): void {
  const { nodeDir, host, port, nodeTimeoutMs, extraConfig } = options;
  mkdirSync(nodeDir, { recursive: true });
  const settings: Record<string, string> = {
    port: String(port),
    bind: host,
    daemonize: 'no',
    dir: nodeDir,
    pidfile: join(nodeDir, NODE_FILES.pid),
    logfile: join(nodeDir, NODE_FILES.log),
    'cluster-enabled': 'yes',
    'cluster-config-file': 'nodes.conf',
    'cluster-node-timeout': String(nodeTimeoutMs),
    'cluster-require-full-coverage': 'no',
    'cluster-allow-replica-migration': 'no',
    'cluster-replica-validity-factor': '0',
    'repl-diskless-sync-delay': '0',
    'repl-ping-replica-period': '1',
    appendonly: 'no',
    save: '""',
    'proc-title-template': '"{title} {listen-addr} {server-mode} {config-file}"',
    ...extraConfig,
  };
  const lines = Object.entries(settings).map(([key, value]) => `${key} ${value === '' ? '""' : value}`);
  writeFileSync(join(nodeDir, NODE_FILES.config), `${lines.join('\n')}\n`);
}
