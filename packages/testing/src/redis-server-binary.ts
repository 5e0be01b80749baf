import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { RedisServerNotFoundError, RedisServerTooOldError } from './errors';

/** A usable `redis-server`: absolute path and version. @internal */
export interface RedisServerBinary {
  path: string;
  version: string;
}

/**
 * Finds `redis-server` (on PATH unless a path is given) and checks it is 7.0+.
 *
 * The path is made absolute because Redis records `argv[0]` relative to its own working directory
 * in `INFO server executable`, which `restart()` later uses to start the node again.
 * @internal
 */
export function resolveRedisServer(path?: string): RedisServerBinary {
  const found = path === undefined ? findOnPath('redis-server') : resolve(path);
  if (found === undefined || !isExecutable(found)) {
    throw new RedisServerNotFoundError(found ?? path ?? 'redis-server');
  }
  const run = spawnSync(found, ['--version'], { encoding: 'utf8' });
  const version = /v=(\d+\.\d+\.\d+)/.exec(run.stdout ?? '')?.[1];
  if (run.error !== undefined || version === undefined) {
    throw new RedisServerNotFoundError(found, { cause: run.error ?? new Error(run.stderr) });
  }
  if (Number(version.split('.')[0]) < 7) throw new RedisServerTooOldError(found, version);
  return { path: found, version };
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
