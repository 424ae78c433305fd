import { z } from 'zod';
import { emptyUsage } from '@coordinate/protocol';
import { exitCodeForOutcome } from '@coordinate/protocol';
import type { DiffStat } from '../git/index.js';
import type { JournalEvent } from '../journal/events.js';
import type { RunState, TaskState } from '../journal/index.js';
import { REPORT_SCHEMA_VERSION, type RunReport, type TaskOutcome, type TaskReport } from '../report/index.js';
import type { RunOutcome } from '@coordinate/protocol';
import type { BudgetStop } from './budget-guard.js';
import { keptEvidenceCheck } from './verdict.js';

export interface ReportInput {
  runId: string;
  outcome: RunOutcome;
  /** The whole journal, for when each task ran. */
  events: readonly JournalEvent[];
  finishedAt: number;
  /** The run branch, when the run has one. */
  branch?: string;
  baseCommit?: string;
  diffstat?: DiffStat;
  budget?: BudgetStop;
  /** Worktrees of failed tasks, left for inspection. */
  keptWorktrees: ReadonlyMap<string, string>;
  fixRounds: number;
}


const ConflictData = z.object({ files: z.array(z.string()), keptAt: z.string().optional() });

const outcomeOf = (task: TaskState | undefined): TaskOutcome =>
  task?.status === 'succeeded' || task?.status === 'failed' || task?.status === 'skipped' || task?.status === 'interrupted' ? task.status : 'not_run';

/** From the first hand-out of a task to its last settled attempt. */
function durations(events: readonly JournalEvent[]): Map<string, number> {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'task.assigned' && !first.has(event.taskId)) first.set(event.taskId, event.ts);
    if (event.type === 'task.finished' || event.type === 'task.failed') last.set(event.taskId, event.ts);
  }
  return new Map([...first].flatMap(([id, start]) => (last.has(id) ? [[id, Math.max(0, last.get(id)! - start)]] : [])));
}

function evidenceOf(task: TaskState | undefined): TaskReport['evidence'] {
  const check = keptEvidenceCheck(task?.result);
  if (check) return check.items.map(({ command, exitCode, excerpt, verified }) => ({ command, exitCode, excerpt, verified }));
  return (task?.result?.evidence ?? []).map(({ command, exitCode, excerpt }) => ({ command, exitCode, excerpt, verified: false }));
}

function synthesis(report: Omit<RunReport, 'synthesis'>, input: ReportInput): string {
  const count = (outcome: TaskOutcome) => report.tasks.filter((task) => task.outcome === outcome).length;
  const sentences = [`${count('succeeded')} of ${report.tasks.length} tasks succeeded${count('failed') ? `, ${count('failed')} failed` : ''}${count('skipped') ? `, ${count('skipped')} were skipped` : ''}${count('interrupted') ? `, ${count('interrupted')} were interrupted with their work kept` : ''}${count('not_run') ? `, ${count('not_run')} did not run` : ''}.`];
  const verified = report.tasks.filter((task) => task.role === 'verify' && task.outcome === 'succeeded');
  if (verified.length > 0) sentences.push(`Verified by ${verified.map((task) => task.id).join(', ')}, with evidence checked against the commands that ran.`);
  if (input.fixRounds > 0) sentences.push(`${input.fixRounds} fix round${input.fixRounds === 1 ? '' : 's'} ran after a failed verification.`);
  if (report.mergeConflicts.length > 0) sentences.push(`${report.mergeConflicts.length} merge conflict${report.mergeConflicts.length === 1 ? '' : 's'} kept work out of the run branch; nothing was overwritten.`);
  if (report.budget) sentences.push(`The run stopped: ${report.budget.reason ?? report.budget.name}.`);
  if (input.keptWorktrees.size > 0) sentences.push(`Worktrees of failed tasks are kept for inspection: ${[...input.keptWorktrees.values()].join(', ')}.`);
  return sentences.join(' ');
}

/** report.json's content, from the run's final state: what each task did, what was proven, what changed and what it cost. */
export function buildRunReport(state: RunState, input: ReportInput): RunReport {
  const took = durations(input.events);
  const tasks: TaskReport[] = (state.run?.tasks ?? []).map((spec) => {
    const task = state.tasks[spec.id];
    const kept = input.keptWorktrees.get(spec.id);
    const reason = task?.status === 'failed' || task?.status === 'skipped' ? task.reason : undefined;
    const failureReason = [reason, kept ? `its worktree is kept at ${kept}` : undefined].filter(Boolean).join('; ');
    return {
      id: spec.id,
      title: spec.title,
      role: spec.role,
      outcome: outcomeOf(task),
      attempts: task?.attempts.length ?? 0,
      summary: task?.result?.summary ?? '',
      evidence: evidenceOf(task),
      changedFiles: task?.result?.changedFiles ?? [],
      usage: task?.usage ?? emptyUsage(),
      ...(took.has(spec.id) ? { durationMs: took.get(spec.id)! } : {}),
      ...(failureReason ? { failureReason } : {}),
    };
  });
  const mergeConflicts = Object.values(state.tasks).flatMap((task) => {
    if (task.status !== 'failed' || task.result?.error?.code !== 'merge_conflict') return [];
    const data = ConflictData.safeParse(task.result.error.data);
    return [{ taskId: task.taskId, files: data.success ? data.data.files : [], message: task.result.error.message }];
  });
  const changed = input.diffstat && input.diffstat.files.length > 0;
  const partial: Omit<RunReport, 'synthesis'> = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    runId: input.runId,
    goal: state.run?.goal ?? '',
    outcome: input.outcome,
    exitCode: exitCodeForOutcome(input.outcome),
    startedAt: new Date(state.run?.startedAt ?? input.finishedAt).toISOString(),
    finishedAt: new Date(input.finishedAt).toISOString(),
    ...(changed && input.branch ? { branch: input.branch } : {}),
    ...(input.baseCommit ? { baseCommit: input.baseCommit } : {}),
    tasks,
    mergeConflicts,
    diffstat: {
      files: (input.diffstat?.files ?? []).map(({ path, insertions, deletions }) => ({ path, insertions, deletions })),
      insertions: input.diffstat?.insertions ?? 0,
      deletions: input.diffstat?.deletions ?? 0,
    },
    usage: state.usage,
    ...(input.budget ? { budget: input.budget } : {}),
    apply: { applied: false, commands: changed && input.branch ? [`git merge ${input.branch}`] : [] },
  };
  return { ...partial, synthesis: synthesis(partial, input) };
}
