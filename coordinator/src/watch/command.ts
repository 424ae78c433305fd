import type { Command } from 'commander';
import { z } from 'zod';
import { ExitCode } from '@coordinate/protocol';
import type { CliContext } from '../cli/context.js';
import { OptionError, parseDurationMs } from '../config/index.js';
import { defineFlags, flag } from '../cli/flags.js';
import { cwdFlag, CwdFlags } from '../commands/options.js';
import { resolveRepoRoot } from '../commands/repo-root.js';
import { describeConfigInForce } from '../approval/index.js';
import { loadSettings } from '../commands/settings.js';
import { startDetached, stopWatcher } from './detach.js';
import { readWatchLock } from './lock.js';
import { watchPaths } from './paths.js';
import { formatReceipt, readReceipts } from './receipts.js';

const WatchFlags = defineFlags({
  every: flag('--every <duration>', 'time between ticks, e.g. 30s, 5m, 1h (default: watch.every in config, 5m)'),
  detach: flag('--detach', 'run as a daemon; its pidfile and log go to .coordinate/watch/'),
  sandbox: flag('--no-sandbox', "run the project's commands on new commits outside the OS sandbox: only when none can be installed"),
  cwd: cwdFlag,
});
const LogFlags = defineFlags({
  last: flag('--last <n>', 'only the last n receipts', { schema: z.string().regex(/^\d+$/, 'must be a number of receipts').optional() }),
  json: flag('--json', 'print the receipts as JSON lines'),
  cwd: cwdFlag,
});

/** Shortest interval accepted: short ones are for trying it out and for tests. */
const MIN_EVERY_MS = 100;
const MAX_EVERY_MS = 24 * 3_600_000;

function durationMs(option: string, value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms < MIN_EVERY_MS || ms > MAX_EVERY_MS) throw new OptionError(option, `must be a duration from 100ms to 24h such as 30s, 5m or 1h; got ${JSON.stringify(value)}`);
  return ms;
}

/** `coordinate watch [--every 5m] [--detach]` and `coordinate watch status|stop|log`. */
export function registerWatchCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  const watch = WatchFlags.declare(
    program
      .command('watch')
      .description('watch this repository in the background: checks on every new commit and pull request, a model call only when one found something'),
  ).action(async (raw: unknown) => {
    const flags = WatchFlags.read(raw);
    const repoRoot = await resolveRepoRoot(flags.cwd, context.cwd);
    const { settings, inForce } = await loadSettings(repoRoot, {}, context.env);
    // The watcher acts on its own: the person sees what the repository's config may and may not change.
    for (const line of describeConfigInForce(inForce)) context.stderr.write(`${line}\n`);
    const every = flags.every ?? settings.watch.every;
    const everyMs = durationMs(flags.every ? '--every' : 'watch.every', every);
    const blockingBudgetMs = durationMs('watch.blockingBudget', settings.watch.blockingBudget);
    const checkBudgetMs = durationMs('watch.checkBudget', settings.watch.checkBudget);
    if (flags.detach) {
      const args = ['watch', '--every', every, '--cwd', repoRoot, ...(flags.sandbox === false ? ['--no-sandbox'] : [])];
      const pid = await startDetached(watchPaths(repoRoot), args, context.env);
      context.stdout.write(`Watching ${repoRoot} in the background (pid ${pid}), every ${every}.\n\`coordinate watch status\`, \`coordinate watch log\` and \`coordinate watch stop\` manage it.\n`);
      done(ExitCode.ok);
      return;
    }
    const { runWatcher } = await import('./daemon.js');
    await context.interrupts.whileStoppable(() => runWatcher({ context, repoRoot, settings, every, everyMs, checkBudgetMs, blockingBudgetMs, sandbox: flags.sandbox !== false }));
    done(ExitCode.ok);
  });

  CwdFlags.declare(watch.command('status').description('say whether a watcher runs here, and what its last tick did')).action(async (raw: unknown) => {
    const repoRoot = await resolveRepoRoot(CwdFlags.read(raw).cwd, context.cwd);
    const paths = watchPaths(repoRoot);
    const running = await readWatchLock(paths.pidfile);
    const last = (await readReceipts(paths.journal)).filter((e) => e.type === 'watch.tick').at(-1);
    if (!running) context.stdout.write(`No watcher runs for ${repoRoot}. Start one with \`coordinate watch --detach\`.\n`);
    else context.stdout.write(`Watching ${repoRoot}: pid ${running.pid}, every ${running.every}, since ${new Date(running.startedAt).toISOString()}.\n`);
    if (last) context.stdout.write(`Last tick:\n${formatReceipt(last)}\n`);
    done(running ? ExitCode.ok : ExitCode.taskFailed);
  });

  CwdFlags.declare(watch.command('stop').description('stop the watcher of this repository')).action(async (raw: unknown) => {
    const repoRoot = await resolveRepoRoot(CwdFlags.read(raw).cwd, context.cwd);
    const pid = await stopWatcher(watchPaths(repoRoot));
    context.stdout.write(pid === undefined ? `No watcher runs for ${repoRoot}.\n` : `Stopped the watcher (pid ${pid}).\n`);
    done(ExitCode.ok);
  });

  LogFlags.declare(watch.command('log').description("show the watcher's receipts: one per tick, with what it checked, found, spent and decided")).action(async (raw: unknown) => {
    const flags = LogFlags.read(raw);
    const repoRoot = await resolveRepoRoot(flags.cwd, context.cwd);
    const receipts = await readReceipts(watchPaths(repoRoot).journal);
    const shown = flags.last === undefined ? receipts : receipts.slice(-Number(flags.last));
    if (flags.json) for (const event of shown) context.stdout.write(`${JSON.stringify(event)}\n`);
    else if (shown.length === 0) context.stdout.write('No receipts yet: the watcher has not ticked in this repository.\n');
    else context.stdout.write(`${shown.map(formatReceipt).join('\n')}\n`);
    done(ExitCode.ok);
  });
}
