import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostPort } from '@cluster-pubsub/testing';
import { CHILD_BUILD } from './child-build';
import type { ReceivedResult, Reply, Request } from './child/protocol';

/** Options of {@link ClientProcess.start}. */
export interface ClientProcessOptions {
  /** Profile the process with `--cpu-prof` into `profileDir/profileName/`. */
  readonly profileDir?: string;
  readonly profileName?: string;
}

/**
 * The bench's handle on one client's process: requests and their replies, SIGSTOP / SIGCONT,
 * and its peak RSS from /proc.
 */
export class ClientProcess {
  private readonly pending: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
  private received: ((result: ReceivedResult) => void) | undefined;
  private readonly exited: Promise<void>;
  private blockFile: string | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly profiling: boolean,
  ) {
    child.on('message', (reply: Reply) => {
      if (reply.op === 'received') return this.received?.(reply.result);
      const waiter = this.pending.shift();
      if (reply.op === 'failed') waiter?.reject(new Error(`client process: ${reply.message}`));
      else waiter?.resolve(reply);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      for (const waiter of this.pending.splice(0)) waiter.reject(new Error('the client process exited'));
    });
  }

  /**
   * Forks the process (the child's build, in plain node: see buildClientChild) and opens the
   * client in it.
   */
  static async start(clientId: string, nodes: readonly HostPort[], options: ClientProcessOptions = {}): Promise<ClientProcess> {
    // One directory per process, named after the client and the run.
    const profile = options.profileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${join(options.profileDir, options.profileName ?? clientId)}`]
      : [];
    const child = fork(CHILD_BUILD, [], {
      execArgv: ['--expose-gc', ...profile, ...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Structured clone: Infinity (a capped churn pass) and bigints survive the trip.
      serialization: 'advanced',
    });
    const handle = new ClientProcess(child, profile.length > 0);
    await handle.request({ op: 'open', clientId, nodes: [...nodes] });
    return handle;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Sends a request and resolves with its reply. */
  request<Op extends Reply['op']>(request: Request, _expect?: Op): Promise<Extract<Reply, { op: Op }>> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve: resolve as (reply: Reply) => void, reject });
      this.child.send(request);
    });
  }

  /**
   * Asks the process to count `count` messages; the promise resolves when they arrived or
   * arrival stalled, or after `timeoutMs` with whatever arrived.
   */
  async expect(count: number, timeoutMs: number): Promise<{ done: Promise<ReceivedResult> }> {
    const done = new Promise<ReceivedResult>((resolve) => {
      this.received = resolve;
    });
    await this.request({ op: 'expect', count });
    const timer = setTimeout(() => this.child.send({ op: 'report' } satisfies Request), timeoutMs);
    void done.then(() => clearTimeout(timer));
    return { done };
  }

  /**
   * Stops the process (SIGSTOP). When profiling, blocks its event loop instead: V8's sampler
   * records nothing of what a SIGSTOPped process does after SIGCONT.
   */
  async pause(): Promise<void> {
    if (!this.profiling) return void this.child.kill('SIGSTOP');
    this.blockFile = join(tmpdir(), `bench-block-${this.pid}-${Date.now()}`);
    await this.request({ op: 'block', flagFile: this.blockFile });
  }

  resume(): void {
    if (!this.blockFile) return void this.child.kill('SIGCONT');
    writeFileSync(this.blockFile, '');
    const file = this.blockFile;
    this.blockFile = undefined;
    setTimeout(() => rmSync(file, { force: true }), 1000);
  }

  /** Resets the kernel's peak-RSS mark (VmHWM) of the process; returns its RSS now, in bytes. */
  resetPeakRss(): number {
    writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
    return this.status('VmRSS');
  }

  /** Peak resident set size since start or the last reset, in bytes. */
  peakRss(): number {
    return this.status('VmHWM');
  }

  /** Closes the client and waits for the process to exit (killed after 5 s). */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (!this.profiling) this.resume();
    this.child.send({ op: 'close' } satisfies Request);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  private status(field: 'VmRSS' | 'VmHWM'): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
    return kb === undefined ? NaN : Number(kb) * 1024;
  }

  /** Kills the process at once (used when the bench itself is interrupted). */
  kill(): void {
    this.child.kill('SIGKILL');
  }
}
