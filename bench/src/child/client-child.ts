/**
 * One client under test, in its own process (forked by `client-process.ts`): the drain workload
 * pauses this process with SIGSTOP, and each client gets a clean heap for the memory workload.
 * It answers the bench's requests one at a time (see `protocol.ts`).
 */
import { existsSync } from 'node:fs';
import type { HostPort } from '@cluster-pubsub/testing';
import { clientById } from '../clients/all-clients';
import type { BenchSession } from '../clients/bench-client';
import { measureChurn } from '../workloads/churn';
import { measureLatency } from '../workloads/latency';
import { LatencyTrace } from '../workloads/latency-trace';
import { MessageCounter } from './message-counter';
import type { Reply, Request } from './protocol';

let session: BenchSession | undefined;
let counter: MessageCounter | undefined;
let nodes: HostPort[] = [];
let clientId = '';

process.on('message', (request: Request) => {
  handle(request).then(send, (error: unknown) =>
    send({ op: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));

async function handle(request: Request): Promise<Reply | undefined> {
  switch (request.op) {
    case 'open':
      nodes = request.nodes;
      clientId = request.clientId;
      session = await clientById(request.clientId).open(nodes);
      return { op: 'ok' };
    case 'churn':
      return { op: 'churn', result: await measureChurn(open(), { ...request, nodes }) };
    case 'latency':
      return { op: 'latency', result: await measureLatency(open(), request, LatencyTrace.fromEnv(clientId)) };
    case 'listen':
      counter = new MessageCounter(open());
      await counter.listen(request.channel);
      return { op: 'ok' };
    case 'expect':
      listening().expect(request.count, (result) => send({ op: 'received', result }));
      return { op: 'ok' };
    case 'report':
      listening().report();
      return undefined;
    case 'block':
      // Reply first, then block: sockets fill up exactly as under SIGSTOP.
      process.send?.({ op: 'ok' } satisfies Reply, () => blockUntil(request.flagFile));
      return undefined;
    case 'close':
      await session?.close();
      // Some clients keep timers or sockets after close; this process is done either way.
      return process.exit(0);
  }
}

function blockUntil(flagFile: string): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(flagFile)) Atomics.wait(cell, 0, 0, 5);
}

function open(): BenchSession {
  if (!session) throw new Error('the client is not open');
  return session;
}

function listening(): MessageCounter {
  if (!counter) throw new Error('nothing is listened to');
  return counter;
}

function send(reply: Reply | undefined): void {
  if (reply) process.send?.(reply);
}
