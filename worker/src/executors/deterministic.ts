import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { CoordinateError, emptyUsage, formatZodError, LeaseWaitError, TaskFailedError, type TaskResultBody } from '@coordinate/protocol';
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
    /** Files written into the task's root before finishing (an implementation's change). */
    files: z.array(z.object({ path: z.string().min(1).max(500), content: z.string().max(1_000_000) })).max(100).optional(),
    /**
     * Scripted patches: each replaces one line (0-based) of a file in the task's root, after taking
     * the file's lease. A refused lease ends the attempt waiting for it, as a model is told it may.
     */
    edits: z.array(z.object({ path: z.string().min(1).max(500), line: z.number().int().nonnegative(), text: z.string().max(10_000) })).max(100).optional(),
    /** Write the edits without asking for leases (a baseline that ignores overlapping writes). */
    ignoreLeases: z.boolean().optional(),
    /** Files that must be in the task's root with this content, or the attempt fails (a verification of what landed). */
    expectFiles: z.array(z.object({ path: z.string().min(1).max(500), content: z.string().max(1_000_000) })).max(100).optional(),
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

/** A file the task was told to find was not there as expected: the task's verdict, not a fault. */
export class ExpectationFailed extends TaskFailedError {}

/** A predictable executor for tests and benchmarks: sleeps, writes, fails or hangs on request. */
export const deterministicExecutor: TaskExecutor = async (execution: TaskExecution): Promise<TaskResultBody> => {
  const settings = readSettings(execution.context.settings?.deterministic);
  const { signal, attempt, task } = execution;
  execution.progress({ kind: 'log', message: `attempt ${attempt} of ${task.id} started` });
  for (let i = 0; i < (settings.progress ?? 0); i++) execution.progress({ kind: 'turn', turn: i });
  // an implementation's edits come first and its work on them after, so it holds their leases while it works
  for (const edit of settings.edits ?? []) await editInRoot(execution, edit, settings.ignoreLeases !== true);
  if (settings.sleepMs) await sleep(settings.sleepMs, undefined, { signal });
  if (settings.hang) await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
  if (settings.write) await execution.scratchpad.write(settings.write.name, settings.write.content);
  for (const file of settings.files ?? []) await writeInRoot(execution, file.path, file.content);
  const checked = [];
  for (const file of settings.expectFiles ?? []) checked.push(await expectInRoot(execution, file.path, file.content));
  if (settings.fail || attempt <= (settings.failAttempts ?? 0)) throw new DeterministicFailure(attempt);
  return {
    outcome: 'succeeded',
    summary: `${task.id} done on attempt ${attempt}`,
    usage: emptyUsage(),
    // What it checked is its evidence, as a verification's verdict must carry.
    ...(checked.length > 0 ? { evidence: checked.map(({ command, exitCode, excerpt }) => ({ command, exitCode, excerpt })), commandsRun: checked.map((run) => ({ ...run, excerpt: `exit code 0\n${run.excerpt}` })) } : {}),
    ...(settings.echoDependencies ? { output: execution.context.dependencies } : settings.output === undefined ? {} : { output: settings.output }),
  };
};

/** A path under the task's root; one that leaves it is refused like a model's would be. */
function inRoot(execution: TaskExecution, path: string): string {
  const root = resolve(execution.context.root ?? execution.limits.root ?? process.cwd());
  const target = resolve(root, path);
  if (!target.startsWith(root + sep)) throw new InvalidSettingsError(`settings.deterministic: ${path} leaves the task's root`);
  return target;
}

async function writeInRoot(execution: TaskExecution, path: string, content: string): Promise<void> {
  const target = inRoot(execution, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
}

async function editInRoot(execution: TaskExecution, edit: { path: string; line: number; text: string }, leased: boolean): Promise<void> {
  const target = inRoot(execution, edit.path);
  const refusal = leased ? await execution.lease?.(edit.path) : undefined;
  // a file the task edits is leased by another running task: the attempt ends to wait for it
  if (refusal !== undefined) throw new LeaseWaitError(refusal, { path: edit.path });
  const lines = (await readFile(target, 'utf8').catch(() => '')).split('\n');
  while (lines.length <= edit.line) lines.push('');
  lines[edit.line] = edit.text;
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, lines.join('\n'));
}

/** Checks a file's content; resolves with the check as a command the verdict can cite. */
async function expectInRoot(execution: TaskExecution, path: string, content: string): Promise<{ command: string; exitCode: number; excerpt: string }> {
  const found = await readFile(inRoot(execution, path), 'utf8').catch(() => undefined);
  if (found !== content) throw new ExpectationFailed(`${path} ${found === undefined ? 'is missing' : 'holds other content'} in ${execution.task.id}'s root`);
  return { command: `cat ${path}`, exitCode: 0, excerpt: content };
}

function readSettings(raw: unknown): DeterministicSettings {
  const parsed = DeterministicSettings.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  throw new InvalidSettingsError(formatZodError(parsed.error, { max: 1, at: ['settings', 'deterministic'] }));
}
