import type Redis from 'ioredis';
import { CommandFailedError } from './errors';

/**
 * @internal PUBSUB answers merged over every node (masters and replicas): a subscriber sits on
 * exactly one node, so channel lists are unioned and counts summed. Other clients ask one node.
 */
export async function unionChannels(nodes: Redis[], subcommand: string, pattern?: Buffer): Promise<Buffer[]> {
  const answers = await askAll<Buffer[]>(nodes, subcommand, pattern ? [pattern] : []);
  const seen = new Map<string, Buffer>();
  for (const answer of answers) for (const name of answer) seen.set(name.toString('latin1'), name);
  return [...seen.values()];
}

/** @internal Sums `PUBSUB NUMSUB`-shaped answers ([name, count, name, count, ...]) per name. */
export async function sumCounts(nodes: Redis[], subcommand: string, names: Buffer[]): Promise<number[]> {
  const answers = await askAll<(Buffer | number)[]>(nodes, subcommand, names);
  return names.map((_, i) => answers.reduce((sum, answer) => sum + Number(answer[i * 2 + 1] ?? 0), 0));
}

/** @internal Sums a number answered by every node. */
export async function sumNumber(nodes: Redis[], subcommand: string): Promise<number> {
  const answers = await askAll<number>(nodes, subcommand, []);
  return answers.reduce((sum, n) => sum + Number(n), 0);
}

async function askAll<T>(nodes: Redis[], subcommand: string, args: Buffer[]): Promise<T[]> {
  try {
    return await Promise.all(
      nodes.map((node) => node.callBuffer('PUBSUB', subcommand, ...args) as Promise<T>),
    );
  } catch (error) {
    throw new CommandFailedError(`PUBSUB ${subcommand}`, error);
  }
}
