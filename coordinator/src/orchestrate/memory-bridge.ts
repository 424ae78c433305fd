import type { Logger } from 'pino';
import { extractSessionMemories, toSnippet, type CompiledDirective, type MemoryStore } from '@coordinate/memory';
import type { MemorySnippet, MessageOf, ProgressEvent, TaskSpec, WorkerMessage } from '@coordinate/protocol';
import type { JournalEvent } from '../journal/events.js';
import type { RunState } from '../journal/index.js';
import type { MemoryReply } from '../runtime/index.js';
import { verifiedTaskIds } from './fix-round-tasks.js';

/** The protocol's limit on snippets in one message or task context. */
const MAX_SNIPPETS = 50;
/** Failed tool results kept per task for session memories. */
const MAX_FAILURES_KEPT = 50;

export interface MemoryBridgeOptions {
  runId: string;
  repoRoot: string;
  tokenBudget: number;
  logger: Logger;
}

/**
 * Team memory as a run sees it. The coordinator is the store's only writer: workers search and
 * propose through it, each task is handed the entries relevant to it, and what happened flows
 * back as feedback and session memories when the run ends. Without a store it answers with nothing.
 */
export class MemoryBridge {
  readonly #heldBy = new Map<string, string>();
  readonly #failures = new Map<string, ProgressEvent[]>();

  constructor(
    private readonly store: MemoryStore | undefined,
    private readonly options: MemoryBridgeOptions,
  ) {}

  directives(): CompiledDirective[] {
    return this.store?.compiledDirectives() ?? [];
  }

  /** The entries for a task (query: its title and instructions, files: its files), noted as used by it. */
  snippetsFor(task: TaskSpec): MemorySnippet[] {
    if (!this.store) return [];
    const found = this.store.retrieve({
      query: `${task.title}\n${task.instructions}`,
      ...(task.files ? { files: task.files } : {}),
      tokenBudget: this.options.tokenBudget,
      limit: MAX_SNIPPETS,
      repoRoot: this.options.repoRoot,
    });
    this.#used(task.id, found.map((entry) => entry.id));
    return found.map(toSnippet);
  }

  /** Journal events tell which task each worker holds, so a search or proposal is credited to it. */
  observe(event: JournalEvent): void {
    if (event.type === 'task.assigned') this.#heldBy.set(event.workerId, event.taskId);
  }

  progress(taskId: string, event: ProgressEvent): void {
    if (event.kind !== 'tool_result' || event.ok) return;
    const kept = this.#failures.get(taskId) ?? [];
    if (kept.length < MAX_FAILURES_KEPT) kept.push(event);
    this.#failures.set(taskId, kept);
  }

  search(message: MessageOf<WorkerMessage, 'memory.search'>, workerId: string): MemoryReply {
    if (!this.store) return { entries: [] };
    const found = this.store.retrieve({
      query: message.query,
      ...(message.files ? { files: message.files } : {}),
      tokenBudget: this.options.tokenBudget,
      limit: Math.min(message.limit ?? MAX_SNIPPETS, MAX_SNIPPETS),
      repoRoot: this.options.repoRoot,
    });
    const taskId = this.#heldBy.get(workerId);
    if (taskId) this.#used(taskId, found.map((entry) => entry.id));
    return { entries: found.map(toSnippet) };
  }

  propose(message: MessageOf<WorkerMessage, 'memory.propose'>, workerId: string): MemoryReply {
    if (!this.store) return { entries: [] };
    const taskId = message.taskId ?? this.#heldBy.get(workerId);
    const admitted = this.store.admit({
      kind: message.kind,
      text: message.text,
      ...(message.title ? { title: message.title } : {}),
      ...(message.tags ? { tags: message.tags } : {}),
      ...(message.files ? { files: message.files } : {}),
      ...(taskId ? { source: { runId: this.options.runId, taskId } } : {}),
    });
    return { entries: [], admitted: { id: admitted.id, action: admitted.action } };
  }

  /**
   * Settles what each finished task used (passed or failed), proposes what the tasks learnt, and
   * marks the run as ended. A proposal the store refuses is logged, never a reason to fail the run.
   */
  afterRun(state: RunState): void {
    if (!this.store) return;
    const { runId, logger } = this.options;
    const specs = new Map((state.run?.tasks ?? []).map((task) => [task.id, task]));
    const verified = verifiedTaskIds(state);
    for (const task of Object.values(state.tasks)) {
      if (task.status !== 'succeeded' && task.status !== 'failed') continue;
      this.store.feedback({ runId, taskId: task.taskId, passed: task.status === 'succeeded' });
      const proposals = extractSessionMemories({
        runId,
        taskId: task.taskId,
        ...(specs.get(task.taskId) ? { title: specs.get(task.taskId)!.title } : {}),
        ...(task.result ? { summary: task.result.summary } : {}),
        changedFiles: task.result?.changedFiles ?? [],
        commandsRun: task.result?.commandsRun ?? [],
        transcriptEvents: this.#failures.get(task.taskId) ?? [],
      });
      for (const proposal of proposals) {
        // A command that merely exited 0 in work nobody verified is no procedure to repeat.
        if (proposal.kind === 'procedure' && !verified.has(task.taskId)) continue;
        try {
          this.store.admit(proposal);
        } catch (error) {
          logger.warn({ err: error, taskId: task.taskId }, 'a session memory was not admitted');
        }
      }
    }
    this.store.noteRun(runId);
  }

  #used(taskId: string, ids: string[]): void {
    if (ids.length > 0) this.store?.recordUse(ids, { runId: this.options.runId, taskId });
  }
}
