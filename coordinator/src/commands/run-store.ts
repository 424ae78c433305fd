import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Plan } from '@coordinate/plan';
import { UsageError } from '../cli/errors.js';
import { readJournal, rebuildRunState, type RunState } from '../journal/index.js';
import { RunReport } from '../report/index.js';
import { coordinateDir, runPaths, type RunPaths } from '../run/layout.js';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** What is on disk about one run: the approved plan, the journal's state, the final report. */
export interface StoredRun {
  runId: string;
  paths: RunPaths;
  plan?: Plan;
  state?: RunState;
  report?: RunReport;
}

/** `planned`: an approved plan that never started; `unplanned`: planning stopped before a plan was approved (nothing to run). */
export type RunStatus = RunReport['outcome'] | 'unfinished' | 'planned' | 'unplanned';

export interface RunSummary {
  runId: string;
  goal: string;
  status: RunStatus;
  startedAt: number;
  costUsd: number;
}

async function readJsonFile<T>(file: string, parse: (value: unknown) => T): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return parse(JSON.parse(text));
  } catch {
    throw new UsageError(`${file} is not a valid ${file.endsWith('plan.json') ? 'plan' : 'report'} file`, 'restore it from the run folder, or start a new run');
  }
}

async function readState(file: string): Promise<RunState | undefined> {
  try {
    const { events } = await readJournal(file);
    return rebuildRunState(events);
  } catch (error) {
    if ((error as { code?: string }).code === 'not_found') return undefined;
    throw error;
  }
}

/** One run's files; an id that names no run is a usage error. */
export async function readRun(repoRoot: string, runId: string): Promise<StoredRun> {
  if (!RUN_ID.test(runId)) throw new UsageError(`"${runId}" is not a run id`, 'run ids look like 20261129-041203-ab12; `coordinate runs` lists them');
  const paths = runPaths(repoRoot, runId);
  if (!(await stat(paths.dir).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`no run ${runId} in ${repoRoot}`, '`coordinate runs` lists the runs of this repository');
  }
  const [plan, state, report] = await Promise.all([
    readJsonFile(paths.planJson, (value) => Plan.parse(value)),
    readState(paths.journal),
    readJsonFile(paths.reportJson, (value) => RunReport.parse(value)),
  ]);
  return { runId, paths, ...(plan ? { plan } : {}), ...(state ? { state } : {}), ...(report ? { report } : {}) };
}

/** The state of a run as one word: a report's outcome, the journal's, or `unfinished` for a run that can be resumed. */
export function statusOf(run: StoredRun): RunStatus {
  if (run.report) return run.report.outcome;
  const finished = run.state?.run?.finished;
  if (finished) return finished.outcome;
  if (run.state?.run) return 'unfinished';
  return run.plan ? 'planned' : 'unplanned';
}

export function summarize(run: StoredRun, fallbackStart: number): RunSummary {
  return {
    runId: run.runId,
    goal: run.report?.goal ?? run.state?.run?.goal ?? run.plan?.goal ?? '',
    status: statusOf(run),
    startedAt: run.report ? Date.parse(run.report.startedAt) : (run.state?.run?.startedAt ?? fallbackStart),
    costUsd: run.report?.usage.costUsd ?? run.state?.usage.costUsd ?? 0,
  };
}

/** Every run of the repository, oldest first. */
export async function listRuns(repoRoot: string): Promise<RunSummary[]> {
  const dir = join(coordinateDir(repoRoot), 'runs');
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const runs: RunSummary[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !RUN_ID.test(entry.name)) continue;
    const run = await readRun(repoRoot, entry.name).catch(() => undefined);
    if (run) runs.push(summarize(run, (await stat(join(dir, entry.name))).mtimeMs));
  }
  return runs.sort((a, b) => a.startedAt - b.startedAt || a.runId.localeCompare(b.runId));
}
