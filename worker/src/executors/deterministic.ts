import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { CoordinateError, emptyUsage, type TaskResultBody } from '@coordinate/protocol';
import type { TaskExecution, TaskExecutor } from '../executor.js';
import { DeterministicFailure } from '../errors.js';

/** What a test or benchmark asks of a task, in `context.settings.deterministic`. */
export const DeterministicSettings = z
  .object({
    sleepMs: z.number().int().nonnegative().max(3_600_000).optional(),
    /** Written to the task's own scratchpad folder before finishing. */
    write: z.object({ name: z.string().min(1).max(500), content: z.string() }).optional(),
    fail: z.boolean().optional(),
    /** Fail the first N attempts, then succeed. */
    failAttempts: z.number().int().nonnegative().optional(),
    output: z.unknown().optional(),
    /** Never finish on its own: only a cancel or shutdown ends it. */
    hang: z.boolean().optional(),
    /** Return the dependency summaries the task was handed as its output (shows what a task is told). */
    echoDependencies: z.boolean().optional(),
    /** Progress events to stream before finishing (benchmarks the message path). */
    progress: z.number().int().nonnegative().max(1_000_000).optional(),
  })
  .strict();
export type DeterministicSettings = z.infer<typeof DeterministicSettings>;

export class InvalidSettingsError extends CoordinateError {
  constructor(message: string) {
    super('invalid_settings', message);
  }
}

/** A predictable executor for tests and benchmarks: sleeps, writes, fails or hangs on request. */
export const deterministicExecutor: TaskExecutor = async (execution: TaskExecution): Promise<TaskResultBody> => {
  const settings = readSettings(execution.context.settings?.deterministic);
  const { signal, attempt, task } = execution;
  execution.progress({ kind: 'log', message: `attempt ${attempt} of ${task.id} started` });
  for (let i = 0; i < (settings.progress ?? 0); i++) execution.progress({ kind: 'turn', turn: i });
  if (settings.sleepMs) await sleep(settings.sleepMs, undefined, { signal });
  if (settings.hang) await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
  if (settings.write) await execution.scratchpad.write(settings.write.name, settings.write.content);
  if (settings.fail || attempt <= (settings.failAttempts ?? 0)) throw new DeterministicFailure(attempt);
  return {
    outcome: 'succeeded',
    summary: `${task.id} done on attempt ${attempt}`,
    usage: emptyUsage(),
    ...(settings.echoDependencies ? { output: execution.context.dependencies } : settings.output === undefined ? {} : { output: settings.output }),
  };
};

function readSettings(raw: unknown): DeterministicSettings {
  const parsed = DeterministicSettings.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidSettingsError(`settings.deterministic.${issue?.path.join('.') || ''}: ${issue?.message ?? 'invalid'}`);
}
