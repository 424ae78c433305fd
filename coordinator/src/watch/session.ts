import type { Logger, Redactor } from '@coordinate/logging';
import type { CliContext } from '../cli/context.js';
import type { EffectiveSettings, WatchConfig } from '../config/index.js';
import type { Journal } from '../journal/index.js';
import type { AutonomyLedger } from './autonomy.js';
import type { GitHubOptions } from './checks/github.js';
import type { WatchPaths } from './paths.js';
import type { WatchState } from './state.js';

/** Everything a tick works with; the daemon builds it once and keeps it for every tick. */
export interface WatchSession {
  context: CliContext;
  repoRoot: string;
  settings: EffectiveSettings;
  watch: WatchConfig;
  paths: WatchPaths;
  journal: Journal;
  ledger: AutonomyLedger;
  state: WatchState;
  branches: string[];
  defaultBranch: string;
  /** Set when a GitHub repository and GITHUB_TOKEN are known. */
  github?: GitHubOptions;
  everyMs: number;
  checkBudgetMs: number;
  /** False is the person's --no-sandbox. */
  sandbox: boolean;
  blockingBudgetMs: number;
  log: Logger;
  redact: Redactor;
  /** A plain line for the person (the terminal, or output.log when detached). */
  print: (line: string) => void;
  desktop: boolean;
  /** Fix runs still going after their tick returned; the daemon waits for them before it exits. */
  background: Set<Promise<void>>;
  signal: AbortSignal;
}
