import { setTimeout as sleep } from 'node:timers/promises';
import { closeLogger, collectSecrets, createLogger, createRedactor } from '@coordinate/logging';
import { findOsSandbox } from '@coordinate/sandbox';
import type { CliContext } from '../cli/context.js';
import type { EffectiveSettings } from '../config/index.js';
import { Journal } from '../journal/index.js';
import { AutonomyLedger } from './autonomy.js';
import { githubRepoOf } from './checks/github.js';
import { watchedBranches } from './checks/git-heads.js';
import { acquireWatchLock } from './lock.js';
import { watchPaths } from './paths.js';
import type { WatchSession } from './session.js';
import { watchStateStore } from './state.js';
import { runTick } from './tick.js';

export interface WatcherOptions {
  context: CliContext;
  repoRoot: string;
  settings: EffectiveSettings;
  /** The `--every` text, kept in the pidfile for `watch status`. */
  every: string;
  everyMs: number;
  checkBudgetMs: number;
  blockingBudgetMs: number;
  /** False is the person's --no-sandbox: the project's commands run unconfined. */
  sandbox: boolean;
}

const DEFAULT_GITHUB_API = 'https://api.github.com';

/**
 * The watcher of one repository, until its interrupt signal (Ctrl-C, SIGTERM from `watch stop`):
 * takes the lock, ticks once at start and then every `everyMs` after the previous tick ended (so
 * ticks never overlap), and on the way out waits for background fix runs, which the same signal
 * stops, then releases the lock.
 */
export async function runWatcher(options: WatcherOptions): Promise<void> {
  const { context, repoRoot, settings } = options;
  const paths = watchPaths(repoRoot);
  const signal = context.interrupts.signal;
  // Checks that cannot be confined are refused at the start, with how to install a sandbox, not at every tick.
  if (options.sandbox && Object.values(settings.commands).some(Boolean)) await findOsSandbox();
  const release = await acquireWatchLock(paths.pidfile, { pid: process.pid, startedAt: Date.now(), every: options.every });
  const secrets = collectSecrets(context.env);
  const log = createLogger({ file: paths.log, name: 'watch', secrets });
  const journal = await Journal.open(paths.journal);
  try {
    const stateStore = watchStateStore(paths.state);
    const { branches, defaultBranch } = await watchedBranches(repoRoot, settings.watch.branches);
    const githubRepo = settings.watch.githubRepo ?? (await githubRepoOf(repoRoot));
    const token = context.env.GITHUB_TOKEN;
    const session: WatchSession = {
      context,
      repoRoot,
      settings,
      watch: settings.watch,
      paths,
      journal,
      ledger: await AutonomyLedger.open(paths.ledger, settings.watch.tiers, journal, Date.now()),
      state: await stateStore.read(),
      branches,
      defaultBranch,
      ...(githubRepo && token ? { github: { apiUrl: context.env.GITHUB_API_URL || DEFAULT_GITHUB_API, token, repo: githubRepo, authors: settings.watch.authors } } : {}),
      everyMs: options.everyMs,
      checkBudgetMs: options.checkBudgetMs,
      sandbox: options.sandbox,
      blockingBudgetMs: options.blockingBudgetMs,
      log,
      redact: createRedactor(secrets),
      print: (line) => context.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
      desktop: context.env.COORDINATE_WATCH_DESKTOP !== '0',
      background: new Set(),
      signal,
    };
    session.print(`watching ${repoRoot}: ${branches.join(', ')}${session.github ? ` and the pull requests of ${session.github.repo}` : ''}, every ${options.every}`);
    log.info({ branches, defaultBranch, github: session.github?.repo, everyMs: options.everyMs }, 'watch started');
    let reason: 'start' | 'interval' = 'start';
    while (!signal.aborted) {
      try {
        await runTick(session, reason);
      } catch (error) {
        if (signal.aborted) break;
        // One bad tick (a git hiccup, a full disk) is logged and the next one tries again.
        log.error({ err: error }, 'tick failed');
        session.print(`tick failed: ${session.redact((error as Error).message)}`);
      }
      await stateStore.write(session.state);
      reason = 'interval';
      await sleep(options.everyMs, undefined, { signal }).catch(() => undefined);
    }
    await Promise.allSettled([...session.background]);
    await stateStore.write(session.state);
    await session.ledger.save();
    session.print('watcher stopped');
    log.info('watch stopped');
  } finally {
    await journal.close();
    await closeLogger(log);
    await release();
  }
}
