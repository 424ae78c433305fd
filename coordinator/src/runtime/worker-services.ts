import type { CoordinatorMessage, MemorySnippet, MessageOf, WorkerMessage } from '@coordinate/protocol';

export interface MemoryReply {
  entries: MemorySnippet[];
  admitted?: { id: string; action: string };
}

/**
 * What answers the requests a worker makes while it works: team memory and the run's budget. They
 * are services the session is started with (the coordinator is memory's only writer and the budget's
 * only keeper), asked only when a worker asks; a session without one answers "nothing" / "granted".
 */
export interface WorkerServices {
  memory?: {
    search(message: MessageOf<WorkerMessage, 'memory.search'>, workerId: string): Promise<MemoryReply> | MemoryReply;
    propose(message: MessageOf<WorkerMessage, 'memory.propose'>, workerId: string): Promise<MemoryReply> | MemoryReply;
  };
  budget?: {
    /** Answers `budget.reserve` from the worker holding the attempt. */
    reserve(request: MessageOf<WorkerMessage, 'budget.reserve'>): Promise<Pick<MessageOf<CoordinatorMessage, 'budget.reply'>, 'refused'>>;
  };
}
