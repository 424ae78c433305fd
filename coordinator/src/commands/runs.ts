import type { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { ExitCode } from '@coordinate/protocol';
import { formatUsd } from '../report/index.js';
import { defineFlags, flag } from '../cli/flags.js';
import { cwdFlag } from './options.js';
import { resolveRepoRoot } from './repo-root.js';
import { describeStatus, listRuns, type RunSummary } from './run-store.js';

/** "just now", "12m ago", "3h ago", "5d ago" */
export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h ago` : `${Math.floor(hours / 24)}d ago`;
}

function runsTable(runs: RunSummary[], now: number): string {
  const rows = [['RUN', 'STATUS', 'AGE', 'COST', 'GOAL'], ...runs.map((r) => [r.runId, describeStatus(r.status, r.pid), formatAge(now - r.startedAt), formatUsd(r.costUsd), r.goal.split('\n')[0]!])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

const RunsFlags = defineFlags({ json: flag('--json', 'print the list as JSON'), cwd: cwdFlag });

export function registerRunsCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  RunsFlags.declare(program.command('runs').description('list the runs of this repository with their status, age and cost')).action(async (raw: unknown) => {
    const flags = RunsFlags.read(raw);
    const runs = await listRuns(await resolveRepoRoot(flags.cwd, context.cwd));
    if (flags.json) {
      const list = runs.map((r) => ({ ...r, startedAt: new Date(r.startedAt).toISOString() }));
      context.stdout.write(`${JSON.stringify({ runs: list }, null, 2)}\n`);
    } else if (runs.length === 0) {
      context.stdout.write('No runs yet. Start one with `coordinate "task"`, or try `coordinate demo`.\n');
    } else {
      context.stdout.write(`${runsTable(runs, Date.now())}\n`);
    }
    done(ExitCode.ok);
  });
}
