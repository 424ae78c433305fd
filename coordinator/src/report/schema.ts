import { z } from 'zod';
import { ConflictedFile, Evidence, Role, RunOutcome, TaskId, Usage } from '@coordinate/protocol';

export const REPORT_SCHEMA_VERSION = 1;

/**
 * What a task claimed in its `complete_task` evidence; `verified` says whether a command that really
 * ran bears the claim out, `reason` why not.
 */
export const ReportEvidence = Evidence.extend({ verified: z.boolean(), reason: z.string().optional() });
export type ReportEvidence = z.infer<typeof ReportEvidence>;

/** A command as it really ran, from the journal (not the model's claim): its last run in the task. */
export const ReportCommandRun = z.object({
  command: z.string(),
  /** The real exit code of its last run; null when it never ran. */
  exitCode: z.number().int().nullable(),
  /** The end of the output of its last run, as the task was shown it. */
  excerpt: z.string(),
  /** Ran after the task's last change to the tree and exited 0. */
  passed: z.boolean(),
  reason: z.string().optional(),
});
export type ReportCommandRun = z.infer<typeof ReportCommandRun>;

/** How a verify task's verdict was checked. */
export const ReportVerification = z.object({
  verified: z.boolean(),
  /** No required command was known (no plan `commands`, no `commands.test`): any real check it cited had to do. */
  weak: z.boolean(),
  /** The required commands, or for a weak verification the commands it cited, as they really ran. */
  ran: z.array(ReportCommandRun),
  reason: z.string().optional(),
});
export type ReportVerification = z.infer<typeof ReportVerification>;

/** `interrupted`: stopped by a budget, an outage or a person, with its work kept for `coordinate resume`. */
/** `taken_over`: an attempt conflicted at merge and a resolution task (`takenOverBy`) took its work over. */
export const TaskOutcome = z.enum(['succeeded', 'failed', 'taken_over', 'skipped', 'interrupted', 'not_run']);
export type TaskOutcome = z.infer<typeof TaskOutcome>;

/** How a merge conflict ended: its resolution task merged a change, ended with none, or never merged. */
export const ConflictOutcome = z.enum(['resolved', 'resolved_no_change', 'unresolved']);
export type ConflictOutcome = z.infer<typeof ConflictOutcome>;

/** One attempt whose change conflicted with work already on the run branch. */
export const MergeConflictReport = z.object({
  taskId: TaskId,
  attempt: z.number().int().positive().optional(),
  files: z.array(z.string()),
  /** Each file with how it conflicted: content, add/add, modify/delete or rename. */
  conflicts: z.array(ConflictedFile),
  /** The tasks whose merged work it met. */
  metTasks: z.array(TaskId),
  /** The branch that keeps the attempt's work (removed by `coordinate clean` once the run has ended). */
  keptAt: z.string().optional(),
  outcome: ConflictOutcome,
  /** The resolution task that took the conflict over (the last of its chain, when a resolution conflicted too). */
  resolvedBy: TaskId.optional(),
  /** For resolved_no_change: why the task changed nothing (its summary). */
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type MergeConflictReport = z.infer<typeof MergeConflictReport>;

export const TaskReport = z.object({
  id: TaskId,
  title: z.string(),
  role: Role,
  outcome: TaskOutcome,
  /** Times the task was handed to a worker (0 when it never ran). */
  attempts: z.number().int().nonnegative(),
  summary: z.string(),
  /** The model's claims (verify tasks and any task that gave evidence). */
  evidence: z.array(ReportEvidence),
  /** For a verify task whose verdict was checked: what really ran. */
  verification: ReportVerification.optional(),
  changedFiles: z.array(z.string()),
  usage: Usage,
  durationMs: z.number().nonnegative().optional(),
  failureReason: z.string().optional(),
  /** Set when an attempt of the task conflicted with merged work: how that ended. */
  conflictOutcome: ConflictOutcome.optional(),
  /** For a task taken over: the resolution task that ended its chain of resolutions. */
  takenOverBy: TaskId.optional(),
});
export type TaskReport = z.infer<typeof TaskReport>;


/** File leases of the run: how many files implementation tasks took, and every write refused because another running task held the file. */
export const LeaseReport = z.object({
  taken: z.number().int().nonnegative(),
  denials: z.array(z.object({ taskId: TaskId, attempt: z.number().int().positive(), path: z.string(), holder: TaskId })),
});
export type LeaseReport = z.infer<typeof LeaseReport>;

/** A merge that broke the run branch's check (`commands.check`): taken back, and its task reopened. */
export const CheckFailureReport = z.object({ taskId: TaskId, attempt: z.number().int().positive(), command: z.string(), exitCode: z.number().int().nullable() });
export type CheckFailureReport = z.infer<typeof CheckFailureReport>;

/** A person's steer of the live run (`coordinate steer`): a note to running tasks, or a task added. */
export const SteerReport = z.object({
  at: z.iso.datetime(),
  kind: z.enum(['note', 'task']),
  /** The tasks the note reached, or the task added. */
  taskIds: z.array(TaskId),
  /** The note, or the added task's title. */
  text: z.string(),
});
export type SteerReport = z.infer<typeof SteerReport>;

export const DiffstatFile = z.object({ path: z.string(), insertions: z.number().int().nonnegative(), deletions: z.number().int().nonnegative() });
const Diffstat = z.object({ files: z.array(DiffstatFile), insertions: z.number().int().nonnegative(), deletions: z.number().int().nonnegative() });

/** One stacked branch (`--stack`): a merged implementation task's change alone, based on the branch before it in merge order. */
export const StackEntry = z.object({
  branch: z.string(),
  taskId: TaskId,
  /** The branch (or, for the first, the base commit) this one is based on: the pull request's base. */
  base: z.string(),
  diffstat: Diffstat,
});
export type StackEntry = z.infer<typeof StackEntry>;

/** report.json: everything a person or a pipeline needs to know about one finished run. */
export const RunReport = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  runId: z.string().min(1),
  goal: z.string(),
  /** A few sentences on what was done, for people. */
  synthesis: z.string(),
  outcome: RunOutcome,
  exitCode: z.number().int(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  /** The branch that holds the changes, `coordinate/<runId>`; absent when nothing was changed. */
  branch: z.string().optional(),
  baseCommit: z.string().optional(),
  /** Set when the run started from a snapshot of the person's uncommitted work (`--include-uncommitted`). */
  includedUncommitted: z.boolean().optional(),
  /** Uncommitted and untracked (not ignored) files of the person's working tree the run did not see. */
  notSeen: z.array(z.string()).optional(),
  tasks: z.array(TaskReport),
  /** Every merge conflict of the run, resolved or not, with where the set-aside work is kept. */
  mergeConflicts: z.array(MergeConflictReport),
  /** Set when implementation tasks took file leases. */
  leases: LeaseReport.optional(),
  /** Set when a merge broke `commands.check`. */
  checkFailures: z.array(CheckFailureReport).optional(),
  /** What a person told the run while it ran, in order (absent from reports written before steering). */
  steering: z.array(SteerReport).default([]),
  diffstat: Diffstat,
  /** Set with `--stack`: one branch per merged implementation task, in merge order. */
  stack: z.array(StackEntry).optional(),
  usage: Usage,
  /** Set when a budget ended the run. */
  budget: z
    .object({ name: z.enum(['maxCostUsd', 'maxTokens', 'timeoutMs']), limit: z.number(), reason: z.string().optional() })
    .optional(),
  /** False when the person's --no-sandbox ran this run's task commands outside the OS sandbox. */
  sandboxed: z.boolean(),
  apply: z.object({
    /** True when the changes were brought into the working tree (`--apply`). */
    applied: z.boolean(),
    /** Commands that bring the changes in, e.g. `git merge coordinate/<runId>`. */
    commands: z.array(z.string()),
  }),
});
export type RunReport = z.infer<typeof RunReport>;

/** The JSON Schema of report.json, for tools outside TypeScript. */
export const runReportJsonSchema = () => z.toJSONSchema(RunReport, { target: 'draft-2020-12' });
