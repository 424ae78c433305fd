import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Plan } from '@coordinate/plan';
import { UsageError } from '../cli/errors.js';
import { readJournal, rebuildRunState, type RunState } from '../journal/index.js';
import { RunReport } from '../report/index.js';
import { coordinateDir, runPaths, type RunPaths } from '../run/layout.js';
import { liveRunLock, type RunLockInfo } from '../run/run-lock.js';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** What is on disk about one run: the approved plan, the journal's state, the final report. */
export interface StoredRun {
  runId: string;
  paths: RunPaths;
  plan?: Plan;
  state?: RunState;
  report?: RunReport;
  /** Why report.json was set aside (written by another version, or damaged): the journal tells the run's state instead. */
  reportProblem?: string;
  /** Set while a live coordinator holds the run's lock. */
  lock?: RunLockInfo;
}

/** `planned`: an approved plan that never started; `unplanned`: planning stopped before a plan was approved (nothing to run). */
export type RunStatus = RunReport['outcome'] | 'running' | 'unfinished' | 'planned' | 'unplanned';

export interface RunSummary {
  runId: string;
  goal: string;
  status: RunStatus;
  /** The coordinator driving a running run. */
  pid?: number;
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

/** report.json, or why it cannot be read: a report another version wrote must not hide the run, since its journal still tells it. */
async function readReport(file: string): Promise<{ report?: RunReport; reportProblem?: string }> {
  try {
    const report = await readJsonFile(file, (value) => RunReport.parse(value));
    return report ? { report } : {};
  } catch {
    return { reportProblem: `${file} was written by another version of coordinate or is damaged; the state below comes from the run's journal` };
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

const runFolders = async (repoRoot: string): Promise<string[]> =>
  (await readdir(join(coordinateDir(repoRoot), 'runs'), { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isDirectory() && RUN_ID.test(entry.name))
    .map((entry) => entry.name);

/** The run an id or a unique prefix of one names (`20261129-0412`, or the whole id). */
async function resolveRunId(repoRoot: string, idOrPrefix: string): Promise<string> {
  if (!RUN_ID.test(idOrPrefix)) throw new UsageError(`"${idOrPrefix}" is not a run id`, 'run ids look like 20261129-041203-ab12; `coordinate runs` lists them');
  const names = await runFolders(repoRoot);
  if (names.includes(idOrPrefix)) return idOrPrefix;
  const matches = names.filter((name) => name.startsWith(idOrPrefix)).sort();
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new UsageError(`"${idOrPrefix}" names more than one run: ${matches.join(', ')}`, 'give more of the run id');
  throw new UsageError(`no run ${idOrPrefix} in ${repoRoot}`, '`coordinate runs` lists the runs of this repository');
}

/** One run's files, by its id or a unique prefix of it; an id that names no run (or several) is a usage error. */
export async function readRun(repoRoot: string, idOrPrefix: string): Promise<StoredRun> {
  const runId = await resolveRunId(repoRoot, idOrPrefix);
  const paths = runPaths(repoRoot, runId);
  const [plan, state, report, lock] = await Promise.all([
    readJsonFile(paths.planJson, (value) => Plan.parse(value)),
    readState(paths.journal),
    readReport(paths.reportJson),
    liveRunLock(paths.lock),
  ]);
  return { runId, paths, ...(plan ? { plan } : {}), ...(state ? { state } : {}), ...report, ...(lock ? { lock } : {}) };
}

/** A status for people: a running run names the process that drives it. */
export const describeStatus = (status: RunStatus, pid: number | undefined): string => (status === 'running' && pid !== undefined ? `running (pid ${pid})` : status);

/** The state of a run as one word: `running` while a coordinator holds it, a report's outcome, the journal's, or `unfinished` for a run that can be resumed. */
export function statusOf(run: StoredRun): RunStatus {
  if (run.lock) return 'running';
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
    ...(run.lock ? { pid: run.lock.pid } : {}),
    startedAt: run.report ? Date.parse(run.report.startedAt) : (run.state?.run?.startedAt ?? fallbackStart),
    costUsd: run.report?.usage.costUsd ?? run.state?.usage.costUsd ?? 0,
  };
}

/** Every run of the repository, oldest first. */
export async function listRuns(repoRoot: string): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  for (const name of await runFolders(repoRoot)) {
    const run = await readRun(repoRoot, name).catch(() => undefined);
    if (run) runs.push(summarize(run, (await stat(run.paths.dir)).mtimeMs));
  }
  return runs.sort((a, b) => a.startedAt - b.startedAt || a.runId.localeCompare(b.runId));
}
