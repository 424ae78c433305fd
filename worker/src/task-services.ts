import { LocalScratchpad, RemoteScratchpad, taskScratchpad } from '@coordinate/scratchpad';
import type { BudgetRefusal } from '@coordinate/model';
import type { TaskContext } from '@coordinate/protocol';
import type { TaskMemory, TaskScratchpad } from './executor.js';
import { expectReply, type PendingRequests } from './requests.js';

/**
 * A worker that shares the coordinator's filesystem uses the scratchpad directory directly;
 * one started elsewhere reaches the same files through the protocol.
 */
export function scratchpadFor(sharedFs: boolean, requests: PendingRequests) {
  const remote = new RemoteScratchpad(async (message) => expectReply(await requests.request(message), 'scratchpad.content'));
  return (context: TaskContext, taskId: string): TaskScratchpad =>
    taskScratchpad(sharedFs && context.scratchpadDir ? new LocalScratchpad(context.scratchpadDir) : remote, taskId);
}

export function memoryFor(requests: PendingRequests) {
  return (taskId: string): TaskMemory => ({
    async search(query, files) {
      const reply = expectReply(await requests.request({ type: 'memory.search', query, ...(files ? { files } : {}) }), 'memory.results');
      return reply.entries;
    },
    async propose(proposal) {
      const reply = expectReply(await requests.request({ type: 'memory.propose', taskId, ...proposal }), 'memory.results');
      return reply.admitted;
    },
  });
}

/** A task's budget reservations, answered by the coordinator, which holds the run's budgets. */
export function reservationsFor(requests: PendingRequests) {
  return (taskId: string, attempt: number) =>
    async (request: { tokens: number; costUsd: number }): Promise<BudgetRefusal | undefined> => {
      const reply = expectReply(await requests.request({ type: 'budget.reserve', taskId, attempt, ...request }), 'budget.reply');
      return reply.refused;
    };
}
