import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { attachCluster, clusterNodesFromEnv } from '../src';
import { processesOf } from './test-support';

const ROOT = join(__dirname, '..', '..', '..');
const run = promisify(execFile);

/** Runs a script the way a developer would, returning its exit code and output. */
async function node(script: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, script), ...args], { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('bin/cluster.mjs', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cluster-cli-test-'));
  const state = join(scratch, 'state.json');
  const cli = (...args: string[]) => node('packages/testing/bin/cluster.mjs', [...args, '--state', state]);
  afterAll(async () => {
    await cli('stop');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('should start a detached cluster, report it, and stop it', async () => {
    const started = await cli('start', '--masters', '2', '--replicas', '0');
    expect(started.code).toBe(0);
    const line = /^REDIS_CLUSTER_NODES=(.+)$/m.exec(started.stdout)?.[1];
    const nodes = clusterNodesFromEnv({ REDIS_CLUSTER_NODES: line });
    expect(nodes).toHaveLength(2);
    const { dir } = JSON.parse(readFileSync(state, 'utf8')) as { dir: string };
    // The CLI has exited; its nodes have not.
    expect((await attachCluster(nodes).masters()).map((n) => n.port).sort()).toEqual(
      nodes.map((n) => n.port).sort(),
    );

    const status = await cli('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`REDIS_CLUSTER_NODES=${line}`);

    expect((await cli('stop')).code).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(processesOf(dir)).toEqual([]);
    expect((await cli('status')).code).toBe(1);
  });

  it('should print its usage for an unknown command', async () => {
    const result = await cli('bogus');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: cluster <start|stop|status>');
  });
});

describe('scripts/with-cluster.mjs', () => {
  const printNodes = ['-e', 'console.log(process.env.REDIS_CLUSTER_NODES); process.exit(3)'];

  it('should run the command against its own cluster, stop it, and pass the exit code on', async () => {
    const env = { ...process.env, REDIS_CLUSTER_NODES: '' };
    const result = await node('scripts/with-cluster.mjs', [process.execPath, ...printNodes], env);
    expect(result.code).toBe(3);
    const nodes = clusterNodesFromEnv({ REDIS_CLUSTER_NODES: result.stdout.trim() });
    expect(nodes).toHaveLength(6);
    expect(nodes.map((n) => n.port)).not.toContain(clusterNodesFromEnv()[0]!.port);
    await expect(attachCluster(nodes, { timeoutMs: 500 }).masters()).resolves.toEqual([]);
  });

  it('should use REDIS_CLUSTER_NODES as given', async () => {
    const result = await node('scripts/with-cluster.mjs', [process.execPath, ...printNodes]);
    expect(result.code).toBe(3);
    expect(result.stdout.trim()).toBe(process.env.REDIS_CLUSTER_NODES);
  });
});
