import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isolatedGit } from '@coordinate/testkit';
import type { ResultPromise } from 'execa';
import { isAlive, waitFor } from '../cli/helpers.js';
import { startGitHubStandIn, type GitHubStandIn, type StandInPullRequest } from './github-stand-in.js';

export const watchDir = (repo: string) => join(repo, '.coordinate', 'watch');

interface Receipt {
  type: 'watch.tick';
  ts: number;
  tick: number;
  reason: string;
  checked: string[];
  changed: string[];
  findings: { key: string; level: string; title: string }[];
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
  decisions: { action: string; tier: string; outcome: string; detail: string; budgetLeft: { actions: number; usd: number } }[];
}

/** The tick receipts in the watcher's journal, oldest first. */
export async function receipts(repo: string): Promise<Receipt[]> {
  const text = await readFile(join(watchDir(repo), 'journal.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.includes('"watch.tick"'))
    .map((line) => JSON.parse(line) as Receipt);
}

/** The `watch.budget` events in the watcher's journal: earned autonomy. */
export async function budgetChanges(repo: string): Promise<{ tier: string; from: number; to: number; reason: string }[]> {
  const text = await readFile(join(watchDir(repo), 'journal.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.includes('"watch.budget"'))
    .map((line) => JSON.parse(line) as { tier: string; from: number; to: number; reason: string });
}

/** Waits until the watcher has written `count` receipts in all. */
export const ticks = (repo: string, count: number, timeoutMs = 60_000) =>
  waitFor(async () => ((await receipts(repo)).length >= count ? receipts(repo) : undefined), `${count} watch receipts`, timeoutMs);

export const inbox = (repo: string) => readFile(join(repo, '.coordinate', 'inbox.md'), 'utf8').catch(() => '');
export const digest = (repo: string) => readFile(join(watchDir(repo), 'digest.md'), 'utf8').catch(() => '');
/** The inbox's entry headings with a given label (`now`, `proposal`, `fix`). */
export const inboxEntries = async (repo: string, label: string) => (await inbox(repo)).split('\n').filter((line) => line.startsWith('## ') && line.includes(` · ${label} · `));

/** The pid in the watcher's pidfile, if a watcher holds it. */
export async function watcherPid(repo: string): Promise<number | undefined> {
  const text = await readFile(join(watchDir(repo), 'watch.pid'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as { pid: number }).pid;
}

/** Ends a foreground watcher as `watch stop` or Ctrl-C would, and waits for it to exit. */
export async function stopForeground(child: ResultPromise): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  child.kill('SIGTERM');
  const result = await child;
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Kills a watcher a test left running (a detached one is no child of the test). */
export async function killWatcher(repo: string): Promise<void> {
  const pid = await watcherPid(repo);
  if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
}

export async function commitFile(repo: string, file: string, content: string, message: string): Promise<string> {
  await writeFile(join(repo, file), content);
  await isolatedGit(repo, ['add', '-A']);
  await isolatedGit(repo, ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message]);
  return (await isolatedGit(repo, ['rev-parse', 'HEAD'])).trim();
}

export const FIXED_MATH = 'export function add(a, b) {\n  return a + b;\n}\n\nexport function multiply(a, b) {\n  return a * b;\n}\n';
export const BROKEN_MATH = FIXED_MATH.replace('a + b', 'a - b');

const standIns: GitHubStandIn[] = [];
export async function gitHubStandIn(repo: string, token: string, pulls: StandInPullRequest[]): Promise<GitHubStandIn> {
  const server = await startGitHubStandIn(repo, token, pulls);
  standIns.push(server);
  return server;
}
export async function closeStandIns(): Promise<void> {
  await Promise.all(standIns.splice(0).map((s) => s.close()));
}
