import { emptyUsage } from '@coordinate/protocol';
import { exitCodeForOutcome } from '@coordinate/protocol';
import type { DiffStat } from '../git/index.js';
import type { JournalEvent } from '../journal/events.js';
import type { RunState, TaskState } from '../journal/index.js';
import { count as counted, REPORT_SCHEMA_VERSION, type MergeConflictReport, type RunReport, type StackEntry, type SteerReport, type TaskOutcome, type TaskReport } from '../report/index.js';
import type { RunOutcome } from '@coordinate/protocol';
import type { BudgetStop } from './budget-guard.js';
import { mergeConflictsOf } from './conflict-report.js';
import { takenOverOf } from './conflict-resolution.js';
import { checkFailuresOf, leasesOf } from './integration-report.js';
import { claimedEvidence, verificationOf } from './verification-report.js';

export interface ReportInput {
  runId: string;
  outcome: RunOutcome;
  /** The whole journal, for when each task ran. */
  events: readonly JournalEvent[];
  finishedAt: number;
  /** The run branch, when the run has one. */
  branch?: string;
  baseCommit?: string;
  /** Uncommitted files of the person's working tree the run did not see. */
  notSeen?: string[];
  includedUncommitted?: boolean;
  diffstat?: DiffStat;
  stack?: StackEntry[];
  budget?: BudgetStop;
  /** Worktrees of failed tasks, left for inspection. */
  keptWorktrees: ReadonlyMap<string, string>;
  fixRounds: number;
  /** False when --no-sandbox ran the spawned workers' commands outside the OS sandbox. */
  sandboxed: boolean;
}


const outcomeOf = (task: TaskState | undefined): TaskOutcome =>
  task?.status === 'succeeded' || task?.status === 'failed' || task?.status === 'skipped' || task?.status === 'interrupted' ? task.status : 'not_run';

/** A failed task a resolution task took over: `taken_over`, naming the last resolution of its chain. */
function takeOverOf(takenOver: ReadonlyMap<string, string>, task: TaskState | undefined, taskId: string): Pick<TaskReport, 'takenOverBy'> | undefined {
  if (task?.status !== 'failed' || !takenOver.has(taskId)) return undefined;
  let last = takenOver.get(taskId)!;
  for (const seen = new Set([taskId]); takenOver.has(last) && !seen.has(last); last = takenOver.get(last)!) seen.add(last);
  return { takenOverBy: last };
}

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

function synthesis(report: Omit<RunReport, 'synthesis'>, input: ReportInput): string {
  const count = (outcome: TaskOutcome) => report.tasks.filter((task) => task.outcome === outcome).length;
  const sentences = [`${count('succeeded')} of ${report.tasks.length} tasks succeeded${count('failed') ? `, ${count('failed')} failed` : ''}${count('taken_over') ? `, ${count('taken_over')} ${count('taken_over') === 1 ? 'was taken over by a resolution task' : 'were taken over by resolution tasks'}` : ''}${count('skipped') ? `, ${count('skipped')} were skipped` : ''}${count('interrupted') ? `, ${count('interrupted')} were interrupted with their work kept` : ''}${count('not_run') ? `, ${count('not_run')} did not run` : ''}.`];
  const verified = report.tasks.filter((task) => task.role === 'verify' && task.outcome === 'succeeded');
  if (verified.length > 0) sentences.push(`Verified by ${verified.map((task) => task.id).join(', ')}, with evidence checked against the commands that ran.`);
  const weak = verified.filter((task) => task.verification?.weak);
  if (weak.length > 0) sentences.push(`Weak verification in ${weak.map((task) => task.id).join(', ')}: no required command was known (plan \`commands\` or \`commands.test\`), so the commands it chose were taken.`);
  if (input.fixRounds > 0) sentences.push(`${input.fixRounds} fix round${input.fixRounds === 1 ? '' : 's'} ran after a failed verification.`);
  if (report.mergeConflicts.length > 0) {
    const open = report.mergeConflicts.filter((conflict) => conflict.outcome !== 'resolved').length;
    sentences.push(
      `${counted(report.mergeConflicts.length, 'merge conflict')} met work already merged; ${open === 0 ? 'each was resolved by a resolution task' : `${open} ended without the task's change merged`}, and the conflicting work is kept on its branch.`,
    );
  }
  if (report.budget) sentences.push(`The run stopped: ${report.budget.reason ?? report.budget.name}.`);
  if (input.keptWorktrees.size > 0) sentences.push(`Worktrees of failed tasks are kept for inspection: ${[...input.keptWorktrees.values()].join(', ')}.`);
  return sentences.join(' ');
}

/** The task's conflictOutcome: how its last conflict ended, when it had one. */
function conflictOutcomeOf(conflicts: readonly MergeConflictReport[], taskId: string): Pick<TaskReport, 'conflictOutcome'> {
  const last = conflicts.filter((conflict) => conflict.taskId === taskId).at(-1);
  return last ? { conflictOutcome: last.outcome } : {};
}

/** Every steer of the run from the journal: the notes (one entry per note, with the tasks it reached) and the tasks added. */
function steeringOf(events: readonly JournalEvent[]): SteerReport[] {
  const steering: SteerReport[] = [];
  for (const event of events) {
    if (event.type === 'tasks.added' && event.reason.kind === 'steer') {
      for (const task of event.tasks) steering.push({ at: new Date(event.ts).toISOString(), kind: 'task', taskIds: [task.id], text: task.title });
    }
    if (event.type !== 'task.steered') continue;
    const last = steering.at(-1);
    // One note reaches every running task at once: its events sit together with the same text.
    if (last?.kind === 'note' && last.text === event.note && !last.taskIds.includes(event.taskId)) last.taskIds.push(event.taskId);
    else steering.push({ at: new Date(event.ts).toISOString(), kind: 'note', taskIds: [event.taskId], text: event.note });
  }
  return steering;
}

/** report.json's content, from the run's final state: what each task did, what was proven, what changed and what it cost. */
export function buildRunReport(state: RunState, input: ReportInput): RunReport {
  const took = durations(input.events);
  const mergeConflicts = mergeConflictsOf(input.events, state);
  const leases = leasesOf(input.events);
  const checkFailures = checkFailuresOf(input.events);
  const takenOver = takenOverOf(input.events);
  const tasks: TaskReport[] = (state.run?.tasks ?? []).map((spec) => {
    const task = state.tasks[spec.id];
    const takeOver = takeOverOf(takenOver, task, spec.id);
    const kept = input.keptWorktrees.get(spec.id);
    const reason = task?.status === 'failed' || task?.status === 'skipped' ? task.reason : undefined;
    const verification = spec.role === 'verify' ? verificationOf(task) : undefined;
    const failureReason = [reason, kept ? `its worktree is kept at ${kept}` : undefined].filter(Boolean).join('; ');
    return {
      id: spec.id,
      title: spec.title,
      role: spec.role,
      outcome: takeOver ? 'taken_over' : outcomeOf(task),
      attempts: task?.attempts.length ?? 0,
      summary: task?.result?.summary ?? '',
      evidence: claimedEvidence(task),
      ...(verification ? { verification } : {}),
      changedFiles: task?.result?.changedFiles ?? [],
      usage: task?.usage ?? emptyUsage(),
      ...(took.has(spec.id) ? { durationMs: took.get(spec.id)! } : {}),
      ...(failureReason ? { failureReason } : {}),
      ...conflictOutcomeOf(mergeConflicts, spec.id),
      ...takeOver,
    };
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
    ...(input.includedUncommitted ? { includedUncommitted: true } : {}),
    ...(input.notSeen && input.notSeen.length > 0 ? { notSeen: input.notSeen } : {}),
    tasks,
    mergeConflicts,
    ...(leases ? { leases } : {}),
    ...(checkFailures.length > 0 ? { checkFailures } : {}),
    steering: steeringOf(input.events),
    diffstat: {
      files: (input.diffstat?.files ?? []).map(({ path, insertions, deletions }) => ({ path, insertions, deletions })),
      insertions: input.diffstat?.insertions ?? 0,
      deletions: input.diffstat?.deletions ?? 0,
    },
    ...(input.stack ? { stack: input.stack } : {}),
    usage: state.usage,
    ...(input.budget ? { budget: input.budget } : {}),
    sandboxed: input.sandboxed,
    apply: { applied: false, commands: changed && input.branch ? [`git merge ${input.branch}`] : [] },
  };
  return { ...partial, synthesis: synthesis(partial, input) };
}
