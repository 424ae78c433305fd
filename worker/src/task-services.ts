import { LocalScratchpad, RemoteScratchpad, taskScratchpad } from '@coordinate/scratchpad';
import type { BudgetRefusal } from '@coordinate/model';
import { ProtocolError, type TaskContext, type TaskMemory, type TaskScratchpad } from '@coordinate/protocol';
import type { FileLease } from '@coordinate/tools';
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

/**
 * A task's file leases, held by the coordinator: each file is asked for once, on its first write;
 * a refusal names the holder and what it is doing, and what the model can do instead.
 */
export function leasesFor(requests: PendingRequests) {
  return (taskId: string, attempt: number): FileLease => {
    const held = new Set<string>();
    return async (path) => {
      if (held.has(path)) return undefined;
      const reply = await requests.request({ type: 'lease.take', taskId, attempt, path });
      if (reply.type === 'lease.granted') {
        held.add(path);
        return undefined;
      }
      if (reply.type !== 'lease.denied') throw new ProtocolError('invalid_message', `expected lease.granted or lease.denied in reply, got ${reply.type}`);
      const { holder } = reply;
      const doing = holder.doing ? `; its latest step: ${holder.doing}` : '';
      return (
        `${path} is leased by task ${holder.taskId} ("${holder.title}"), which is running and writing it${doing}. ` +
        `Coordinate through the scratchpad (write what you need changed in ${path} with scratchpad_write; read ${holder.taskId}'s notes with scratchpad_read), ` +
        `or finish without changing ${path} and say so in your summary, ` +
        `or call complete_task with status "failed" and waitsFor "${path}" to wait for it: this task then gives its worker back and starts again from the run branch once ${holder.taskId}'s work is merged.`
      );
    };
  };
}
