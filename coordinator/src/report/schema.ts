import { z } from 'zod';
import { Evidence, Role, RunOutcome, TaskId, Usage } from '@coordinate/protocol';

export const REPORT_SCHEMA_VERSION = 1;

/** A command a verification ran; `verified` says whether the coordinator saw that command run with that result. */
export const ReportEvidence = Evidence.extend({ verified: z.boolean() });
export type ReportEvidence = z.infer<typeof ReportEvidence>;

/** `interrupted`: stopped by a budget, an outage or a person, with its work kept for `coordinate resume`. */
export const TaskOutcome = z.enum(['succeeded', 'failed', 'skipped', 'interrupted', 'not_run']);
export type TaskOutcome = z.infer<typeof TaskOutcome>;

export const TaskReport = z.object({
  id: TaskId,
  title: z.string(),
  role: Role,
  outcome: TaskOutcome,
  /** Times the task was handed to a worker (0 when it never ran). */
  attempts: z.number().int().nonnegative(),
  summary: z.string(),
  evidence: z.array(ReportEvidence),
  changedFiles: z.array(z.string()),
  usage: Usage,
  durationMs: z.number().nonnegative().optional(),
  failureReason: z.string().optional(),
});
export type TaskReport = z.infer<typeof TaskReport>;


export const DiffstatFile = z.object({ path: z.string(), insertions: z.number().int().nonnegative(), deletions: z.number().int().nonnegative() });

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
  tasks: z.array(TaskReport),
  mergeConflicts: z.array(z.object({ taskId: TaskId, files: z.array(z.string()), message: z.string().optional() })),
  diffstat: z.object({ files: z.array(DiffstatFile), insertions: z.number().int().nonnegative(), deletions: z.number().int().nonnegative() }),
  usage: Usage,
  /** Set when a budget ended the run. */
  budget: z
    .object({ name: z.enum(['maxCostUsd', 'maxTokens', 'timeoutMs']), limit: z.number(), reason: z.string().optional() })
    .optional(),
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
