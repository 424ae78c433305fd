import type { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { ExitCode } from '@coordinate/protocol';
import { parseDurationMs } from '../config/index.js';
import { findRunLeftovers, removeRunLeftovers, type RunLeftovers } from '../git/index.js';
import { runPaths } from '../run/layout.js';
import { defineFlags, flag } from '../cli/flags.js';
import { cwdFlag } from './options.js';
import { resolveRepoRoot } from './repo-root.js';
import { listRuns, readRun } from './run-store.js';

const CleanFlags = defineFlags({
  olderThan: flag('--older-than <duration>', 'only runs that started longer ago than this, e.g. 7d, 12h'),
  runBranches: flag('--run-branches', 'also delete the run branches (coordinate/<runId>) of the runs named'),
  dryRun: flag('--dry-run', 'show what would be removed, remove nothing'),
  cwd: cwdFlag,
});

/** Runs that ended for good; an interrupted or budget-stopped run can still be resumed and needs what it left. */
const FINISHED = new Set(['succeeded', 'failed']);

function describe(leftovers: RunLeftovers): string[] {
  return [
    `Run ${leftovers.runId}:`,
    ...leftovers.worktrees.map((path) => `  worktree ${path}`),
    ...leftovers.branches.map((branch) => `  branch ${branch}`),
    ...(leftovers.runBranch ? [`  run branch ${leftovers.runBranch}`] : []),
  ];
}

export function registerCleanCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  CleanFlags.declare(
    program
      .command('clean')
      .argument('[runs...]', 'only these runs (default: every finished run)')
      .description('remove what finished runs left: task worktrees, task branches and set-aside conflict branches (run branches only when named)'),
  ).action(async (named: string[], raw: unknown) => {
    const flags = CleanFlags.read(raw);
    const olderThanMs = flags.olderThan === undefined ? 0 : parseDurationMs(flags.olderThan);
    if (olderThanMs === undefined) throw new UsageError(`--older-than: must be a duration such as 7d, 12h or 30m; got "${flags.olderThan}"`);
    if (flags.runBranches && named.length === 0) {
      throw new UsageError('--run-branches deletes run branches only of runs you name', 'name them: coordinate clean <runId> --run-branches');
    }
    const repo = await resolveRepoRoot(flags.cwd, context.cwd);
    const now = Date.now();
    const runs = await listRuns(repo);
    const chosen = named.length > 0 ? named : runs.map((run) => run.runId);
    const found: RunLeftovers[] = [];
    for (const runId of chosen) {
      const run = await readRun(repo, runId);
      const summary = runs.find((item) => item.runId === runId);
      if (!summary || !FINISHED.has(summary.status) || now - summary.startedAt < olderThanMs) {
        if (named.includes(runId)) context.stderr.write(`coordinate: run ${runId} is ${summary?.status ?? 'unknown'}${summary && FINISHED.has(summary.status) ? ' and newer than --older-than' : ', not finished'}; left as it is\n`);
        continue;
      }
      const taskIds = (run.plan?.tasks ?? run.state?.run?.tasks ?? []).map((task) => task.id);
      const leftovers = await findRunLeftovers({ repo, runId, taskIds, worktreesDir: runPaths(repo, runId).worktrees, withRunBranch: Boolean(flags.runBranches) });
      if (leftovers.worktrees.length + leftovers.branches.length > 0 || leftovers.runBranch) found.push(leftovers);
    }
    if (found.length === 0) {
      context.stdout.write('Nothing to clean.\n');
      return done(ExitCode.ok);
    }
    context.stdout.write(`${flags.dryRun ? 'Would remove' : 'Removing'}:\n${found.flatMap(describe).join('\n')}\n`);
    if (!flags.dryRun) for (const leftovers of found) await removeRunLeftovers(repo, leftovers, runPaths(repo, leftovers.runId).worktrees);
    done(ExitCode.ok);
  });
}
