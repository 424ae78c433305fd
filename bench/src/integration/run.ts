import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeOverlaps } from '@coordinate/plan';
import { isolatedGit } from '@coordinate/testkit';
import { executeRun, readJournal, type RunReport } from 'coordinate';
import type { BenchPlan, BenchTask } from './generate.js';
import { replayMakespan, wallMakespanMs } from './makespan.js';

/** `integrated`: overlaps serialized at plan time and file leases at run time; `ignoring`: neither. */
export type Mode = 'integrated' | 'ignoring';

export interface RunOutcome {
  /** In task-time units, replayed from the journal (see `replayMakespan`). */
  makespan: number;
  /** Wall clock from the first task queued to the last task finished, in units of `UNIT_MS`. */
  wallMakespan: number;
  /** Merges refused by git (task attempts that became a resolution task). */
  conflicts: number;
  /** Of those, conflicts in a file that the conflicting task and a task whose work it met both declared. */
  conflictsDeclared: number;
  resolutionTasks: number;
  /** Intended line changes missing from the final run branch and not named in the report with where they are kept. */
  editsLost: number;
  leaseDenials: number;
  /** Attempts that ended waiting for a lease and gave their worker back. */
  leaseWaits: number;
  /** Dependencies serialization added. */
  serialized: number;
  outcome: string;
}

/** One unit of scripted task time, in milliseconds: a task of duration d sleeps d units after its edits. */
export const UNIT_MS = Number(process.env.BENCH_UNIT_MS ?? 200);

/** The text a task writes on a line it owns: what the run branch must hold in the end. */
const editText = (taskId: string) => `edit ${taskId}`;

/** A resolution task `<task>-resolveN` applies its conflicting task's change again, on the run branch's head. */
const conflictingTaskOf = (taskId: string) => taskId.replace(/-resolve\d+$/, '');

/** The generated repository: `files` files of `linesPerFile` numbered lines, one commit on main. */
async function generateRepository(plan: BenchPlan): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'coordinate-bench-integration-')));
  await mkdir(join(dir, 'src'));
  for (let f = 0; f < plan.files; f++) {
    await writeFile(join(dir, `src/file${f}.js`), `${Array.from({ length: plan.linesPerFile }, (_, k) => `base ${f}:${k}`).join('\n')}\n`);
  }
  await writeFile(join(dir, '.gitignore'), '.coordinate/\n');
  await isolatedGit(dir, ['init', '-q', '-b', 'main']);
  await isolatedGit(dir, ['add', '-A']);
  await isolatedGit(dir, ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Generated repository']);
  return dir;
}

/** Edits missing from the run branch whose task the report does not name with a kept branch. */
async function lostEdits(repo: string, plan: BenchPlan, report: RunReport): Promise<number> {
  const kept = new Set(report.mergeConflicts.filter((c) => c.outcome !== 'resolved' && c.keptAt).map((c) => c.taskId));
  const branch = `coordinate/${report.runId}`;
  const files = new Map<string, string[]>();
  for (let f = 0; f < plan.files; f++) {
    const path = `src/file${f}.js`;
    files.set(path, (await isolatedGit(repo, ['show', `${branch}:${path}`])).split('\n'));
  }
  let lost = 0;
  for (const task of plan.tasks) {
    for (const edit of task.edits) if (files.get(edit.file)![edit.line] !== editText(task.spec.id) && !kept.has(task.spec.id)) lost++;
  }
  return lost;
}

/** Whether a conflict of `taskId` in `path` met a task that, like it, declared the file. */
const declaredBoth = (byId: Map<string, BenchTask>, taskId: string, met: readonly string[], path: string) =>
  [taskId, ...met].every((id) => byId.get(conflictingTaskOf(id))?.spec.files?.includes(path) ?? false);

/**
 * Runs a plan through the real coordinator: `executeRun` with its scheduler, worker processes with
 * the deterministic executor (each task applies its scripted line edits, taking their leases unless
 * the mode ignores overlaps, then works `duration` units), and git merges into the run branch of a
 * generated repository. A conflict becomes a resolution task that applies the task's edits again on
 * the head. In `integrated` mode the plan is serialized as plan validation does.
 */
export async function runPlanForReal(plan: BenchPlan, mode: Mode, workers: number): Promise<RunOutcome> {
  const integrated = mode === 'integrated';
  const specs = plan.tasks.map((t) => t.spec);
  const arranged = integrated ? serializeOverlaps({ goal: 'bench', summary: '', tasks: specs }) : { tasks: specs, serialized: [] };
  const byId = new Map(plan.tasks.map((t) => [t.spec.id, t]));
  const repo = await generateRepository(plan);
  try {
    const runId = `bench-${plan.seed}-${mode}`;
    const result = await executeRun({
      repoRoot: repo,
      runId,
      goal: `bench plan ${plan.seed}`,
      tasks: arranged.tasks,
      workers,
      executor: 'deterministic',
      sandbox: false,
      executorSettings: (task) => {
        const source = byId.get(conflictingTaskOf(task.id));
        if (!source) return undefined;
        const edits = source.edits.map((edit) => ({ path: edit.file, line: edit.line, text: editText(source.spec.id) }));
        return { deterministic: { edits, sleepMs: source.duration * UNIT_MS, ...(integrated ? {} : { ignoreLeases: true }) } };
      },
    });
    const { events } = await readJournal(join(repo, '.coordinate', 'runs', runId, 'journal.jsonl'));
    const report = result.report;
    const refused = new Set(events.flatMap((e) => (e.type === 'lease.denied' ? [`${e.taskId}#${e.attempt}`] : [])));
    return {
      // an attempt refused a lease ends before its work: it costs no task time
      makespan: replayMakespan(events, (taskId, attempt) => (refused.has(`${taskId}#${attempt}`) ? 0 : byId.get(conflictingTaskOf(taskId))!.duration)),
      wallMakespan: wallMakespanMs(events) / UNIT_MS,
      conflicts: report.mergeConflicts.length,
      conflictsDeclared: report.mergeConflicts.filter((c) => c.conflicts.some((file) => declaredBoth(byId, c.taskId, c.metTasks, file.path))).length,
      resolutionTasks: events.filter((e) => e.type === 'tasks.added' && e.reason.kind === 'conflict').length,
      editsLost: await lostEdits(repo, plan, report),
      leaseDenials: report.leases?.denials.length ?? 0,
      leaseWaits: events.filter((e) => e.type === 'task.retried' && e.reason.startsWith('waits for ')).length,
      serialized: arranged.serialized?.length ?? 0,
      outcome: result.outcome,
    };
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
}
