import type { Logger } from 'pino';
import { answerScratchpadRequest, type LocalScratchpad } from '@coordinate/scratchpad';
import { ProtocolError, type WorkerMessage } from '@coordinate/protocol';
import type { Dispatcher } from './dispatch.js';
import type { RunHooks } from './hooks.js';
import type { FileLeases } from './leases.js';
import type { Peer } from './peer.js';
import type { WorkerRegistry } from './registry.js';

export interface MessageHandlerOptions {
  runId: string;
  heartbeatMs: number;
  registry: WorkerRegistry;
  dispatcher: Dispatcher;
  scratchpad: LocalScratchpad;
  hooks: RunHooks;
  leases: FileLeases;
  logger: Logger;
  /** Set once the run is ending: a worker that says hello now is told to stop instead. */
  endingReason(): string | undefined;
}

/** Routes each validated worker message to the part of the run that owns it. */
export function createMessageHandler(options: MessageHandlerOptions) {
  const { registry, dispatcher, hooks, logger } = options;
  return async (peer: Peer, message: WorkerMessage): Promise<void> => {
    const worker = registry.byPeer(peer);
    if (message.type === 'hello') {
      if (worker) throw new ProtocolError('invalid_message', 'hello was already received on this connection');
      const ending = options.endingReason();
      if (ending !== undefined) {
        peer.send({ type: 'shutdown', reason: ending, replyTo: message.id });
        return;
      }
      const joined = registry.hello(peer, message);
      peer.send({ type: 'welcome', workerId: joined.id, runId: options.runId, heartbeatMs: options.heartbeatMs, replyTo: message.id });
      dispatcher.reassignAfterReconnect(joined);
      return;
    }
    if (!worker) {
      peer.strike(new ProtocolError('unauthorized', `say hello before sending ${message.type}`), message.id);
      return;
    }
    switch (message.type) {
      case 'task.accepted':
      case 'task.progress':
      case 'task.result':
      case 'heartbeat':
        return dispatcher.handle(worker, message);
      case 'scratchpad.read':
      case 'scratchpad.write':
        // A worker may write only for the task it holds, so a stale worker cannot touch another's notes.
        peer.send(await answerScratchpadRequest(options.scratchpad, message, (taskId) => worker.holding?.taskId === taskId));
        return;
      case 'memory.search': {
        // Memory speaks for a task, so only a worker holding one may search or propose.
        if (!worker.holding) throw new ProtocolError('forbidden', `${worker.id} holds no task: memory is reached only while working on one`);
        const reply = (await hooks.onMemorySearch?.(message, worker.id)) ?? { entries: [] };
        peer.send({ type: 'memory.results', ...reply, replyTo: message.id });
        return;
      }
      case 'memory.propose': {
        if (worker.holding?.taskId !== message.taskId) {
          throw new ProtocolError('forbidden', `${worker.id} does not hold task "${message.taskId}": only the worker holding its current attempt may propose for it`);
        }
        const reply = (await hooks.onMemoryPropose?.(message, worker.id)) ?? { entries: [] };
        peer.send({ type: 'memory.results', ...reply, replyTo: message.id });
        return;
      }
      case 'budget.reserve':
      case 'lease.take': {
        // Only the holder of the attempt spends for it or takes files for it: a stale or foreign worker cannot.
        const { holding } = worker;
        if (holding?.taskId !== message.taskId || holding.attempt !== message.attempt) {
          const error = new ProtocolError('stale_attempt', `attempt ${message.attempt} of ${message.taskId} is not held by this worker`, { taskId: message.taskId, attempt: message.attempt });
          peer.send({ type: 'error', error: error.toData(), replyTo: message.id });
          return;
        }
        if (message.type === 'lease.take') peer.send({ ...options.leases.take(message), replyTo: message.id });
        else peer.send({ type: 'budget.reply', ...(await hooks.reserveBudget?.(message)), replyTo: message.id });
        return;
      }
      case 'error':
        logger.warn({ workerId: worker.id, error: message.error }, 'worker reported an error');
        return;
    }
  };
}
