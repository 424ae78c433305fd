import { startScriptedServer } from '@coordinate/testkit';
import type { Usage } from '@coordinate/protocol';
import { BENCH_TASK_ID, readingTurns, runTaskInProcess } from './agents-task.js';

export interface CacheMeasure {
  /** Input tokens read from the cache over all input tokens (fresh, written to the cache, read from it). */
  share: number;
  usage: Usage;
}

/** The share of input tokens a `turns`-turn task reads from the prompt cache, with cache breakpoints on or off. */
export async function measureCacheShare(turns: number, cache: boolean): Promise<CacheMeasure> {
  const server = await startScriptedServer({ scenario: { tasks: { [BENCH_TASK_ID]: readingTurns(turns) } } });
  try {
    const { result, usage } = await runTaskInProcess({ baseUrl: server.url, cache, maxTurns: turns });
    if (result.outcome !== 'succeeded' || usage.requests !== turns) {
      throw new Error(`the ${turns}-turn task did not run as scripted: ${result.outcome} after ${usage.requests} requests (${result.summary})`);
    }
    const input = usage.inputTokens + usage.cacheWriteTokens + usage.cacheReadTokens;
    return { share: usage.cacheReadTokens / input, usage };
  } finally {
    await server.close();
  }
}
