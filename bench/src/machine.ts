import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';
import Redis from 'ioredis';
import type { HostPort } from '@cluster-pubsub/testing';

/** What the numbers were measured on. */
export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  redisServer: string;
  ioredis: string;
  nodeRedis: string;
  /** The commit `packages/core` was built from, `+dirty` with uncommitted changes in it. */
  coreRevision: string;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  loadAverageAtStart: number;
}

/** Reads the machine, the Node and client versions, and the server version from a node (INFO). */
export async function describeMachine(nodes: readonly HostPort[]): Promise<MachineInfo> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: nproc(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    redisServer: await redisVersion(nodes),
    ioredis: packageVersion('ioredis'),
    nodeRedis: packageVersion('redis'),
    coreRevision: coreRevision(),
    loadAverageAtStart: loadAverage(),
  };
}

/** The 1-minute load average, rounded. */
export function loadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

function coreRevision(): string {
  const git = (...args: string[]): string =>
    execFileSync('git', ['-C', join(__dirname, '..', '..'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--', 'packages/core') ? '+dirty' : '');
  } catch {
    return 'unknown';
  }
}

function nproc(): number {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    return availableParallelism();
  }
}

async function redisVersion(nodes: readonly HostPort[]): Promise<string> {
  const first = nodes[0];
  if (!first) return 'unknown';
  const redis = new Redis({ ...first, lazyConnect: true });
  try {
    await redis.connect();
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}

function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}
