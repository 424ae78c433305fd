import { criticalPathRanks, serializeOverlaps } from '@coordinate/plan';
import { FileLeases } from 'coordinate';
import type { BenchPlan, BenchTask, Edit } from './generate.js';

/** `integrated`: overlaps serialized at plan time and file leases at run time; `ignoring`: neither. */
export type Mode = 'integrated' | 'ignoring';

export interface RunOutcome {
  makespan: number;
  /** Merges refused because a change met another on the same or a neighbouring line (git's rule). */
  conflicts: number;
  /** Of those, conflicts between two tasks that both declared the file. */
  conflictsDeclared: number;
  resolutionTasks: number;
  /** Intended line changes missing from the final run branch. */
  editsLost: number;
  leaseDenials: number;
  /** Dependencies serialization added. */
  serialized: number;
}

interface Job {
  task: BenchTask;
  duration: number;
  /** The run branch's lines of the task's files when the job started: its worktree's view. */
  base?: Map<string, string[]>;
  /** Files whose leases it still has to take, in order (ordered taking cannot deadlock). */
  toLease: string[];
  end?: number;
}

/**
 * Runs a plan on `workers` workers on a simulated clock, merging each finished change into a
 * simulated run branch line by line. A change that meets another merged since its job started
 * conflicts and becomes a resolution job on the head (half the task's time). With leases, a
 * job stops at a file another running task holds and waits, keeping its worker, until it is freed.
 */
export function simulateRun(plan: BenchPlan, mode: Mode, workers: number): RunOutcome {
  const integrated = mode === 'integrated';
  const specs = plan.tasks.map((t) => t.spec);
  const arranged = integrated ? serializeOverlaps({ goal: 'bench', summary: '', tasks: specs }) : { tasks: specs, serialized: [] };
  const depsOf = new Map(arranged.tasks.map((t) => [t.id, t.dependsOn]));
  const byId = new Map(plan.tasks.map((t) => [t.spec.id, t]));
  const rank = criticalPathRanks(arranged.tasks, (id) => byId.get(id)!.duration);
  const head = new Map(Array.from({ length: plan.files }, (_, f) => [`src/file${f}.js`, Array.from({ length: plan.linesPerFile }, (_, k) => `base ${f}:${k}`)]));
  const owner = new Map<string, string>();
  const leases = new FileLeases({ record: () => undefined, spec: (id) => byId.get(id)?.spec });
  const outcome: RunOutcome = { makespan: 0, conflicts: 0, conflictsDeclared: 0, resolutionTasks: 0, editsLost: 0, leaseDenials: 0, serialized: arranged.serialized?.length ?? 0 };
  const merged = new Set<string>();
  const started = new Set<string>();
  const ready: Job[] = [];
  const running: Job[] = [];
  const blocked: Job[] = [];
  let now = 0;

  const filesOf = (task: BenchTask) => [...new Set(task.edits.map((e) => e.file))].sort();
  const newJob = (task: BenchTask, duration: number): Job => ({ task, duration, toLease: integrated ? filesOf(task) : [] });
  const queueReady = () => {
    for (const task of plan.tasks) {
      if (started.has(task.spec.id) || !depsOf.get(task.spec.id)!.every((d) => merged.has(d))) continue;
      started.add(task.spec.id);
      ready.push(newJob(task, task.duration));
    }
    // resolutions first (dependents wait on them), then by critical-path rank
    ready.sort((a, b) => Number(b.duration < b.task.duration) - Number(a.duration < a.task.duration) || rank.get(b.task.spec.id)! - rank.get(a.task.spec.id)!);
  };
  /** Takes the job's remaining leases; true when it may work. */
  const lease = (job: Job): boolean => {
    while (job.toLease.length > 0) {
      const reply = leases.take({ taskId: job.task.spec.id, attempt: 1, path: job.toLease[0]! });
      if (reply.type === 'lease.denied') {
        outcome.leaseDenials++;
        return false;
      }
      job.toLease.shift();
    }
    return true;
  };
  const work = (job: Job) => {
    job.end = now + job.duration;
    running.push(job);
  };
  const conflictOf = (job: Job, edit: Edit): string | undefined => {
    const lines = head.get(edit.file)!;
    for (const k of [edit.line - 1, edit.line, edit.line + 1]) {
      if (k >= 0 && k < lines.length && lines[k] !== job.base!.get(edit.file)![k]) return owner.get(`${edit.file}:${k}`);
    }
    return undefined;
  };
  const finish = (job: Job) => {
    const met = job.task.edits.map((edit) => ({ edit, by: conflictOf(job, edit) })).filter((c) => c.by !== undefined);
    if (met.length > 0) {
      outcome.conflicts++;
      const declared = (id: string, file: string) => byId.get(id)!.spec.files?.includes(file) ?? false;
      if (met.some(({ edit, by }) => declared(by!, edit.file) && declared(job.task.spec.id, edit.file))) outcome.conflictsDeclared++;
      outcome.resolutionTasks++;
      // as in a run, the attempt's result frees its leases; the resolution takes them again
      leases.release(job.task.spec.id, 'ended');
      ready.unshift(newJob(job.task, Math.max(1, Math.ceil(job.task.duration / 2))));
      unblock();
      return;
    }
    for (const edit of job.task.edits) {
      head.get(edit.file)![edit.line] = `edit ${job.task.spec.id}`;
      owner.set(`${edit.file}:${edit.line}`, job.task.spec.id);
    }
    merged.add(job.task.spec.id);
    leases.release(job.task.spec.id, 'merged');
    unblock();
  };
  function unblock() {
    for (const waiting of blocked.splice(0)) {
      if (lease(waiting)) work(waiting);
      else blocked.push(waiting);
    }
  }

  queueReady();
  for (;;) {
    while (running.length + blocked.length < workers && ready.length > 0) {
      const job = ready.shift()!;
      job.base = new Map(filesOf(job.task).map((file) => [file, [...head.get(file)!]]));
      if (lease(job)) work(job);
      else blocked.push(job);
    }
    if (running.length === 0) {
      if (blocked.length > 0) throw new Error(`seed ${plan.seed}: every job waits for a lease`);
      break;
    }
    running.sort((a, b) => a.end! - b.end!);
    const done = running.shift()!;
    now = done.end!;
    finish(done);
    queueReady();
  }
  outcome.makespan = now;
  for (const task of plan.tasks) for (const edit of task.edits) if (head.get(edit.file)![edit.line] !== `edit ${task.spec.id}`) outcome.editsLost++;
  return outcome;
}
