import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePlanMarkdown } from '@coordinate/plan';
import { isolatedGit } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, runDir, runIds, sampleRepo, scriptedServer, startCoordinate, waitFor } from '../cli/helpers.js';
import { BROKEN_MATH, budgetChanges, commitFile, FIXED_MATH, inbox, inboxEntries, receipts, stopForeground, ticks } from './helpers.js';
import { triageScenario } from './scenarios.js';

afterEach(cleanup);

const branches = async (repo: string) => (await isolatedGit(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/'])).trim().split('\n');

/** A repository whose tests pass, watched with `npm test` as its check, and a commit that breaks them once the watcher took stock. */
async function breakAfterFirstTick(config: Record<string, unknown>, scenario = triageScenario([{ kind: 'fix', reason: 'the default branch is broken' }])) {
  const repo = await sampleRepo({ commands: { test: 'npm test' }, workers: 2, ...config });
  await commitFile(repo, 'src/math.js', FIXED_MATH, 'Fix add');
  const model = await scriptedServer(scenario);
  const env = cliEnv(model, { COORDINATE_WATCH_DESKTOP: '0' });
  const watcher = startCoordinate(['watch', '--every', '500ms'], { cwd: repo, env, timeoutMs: 170_000 });
  await ticks(repo, 1);
  const broken = await commitFile(repo, 'src/math.js', BROKEN_MATH, 'Simplify add');
  return { repo, model, env, watcher, broken };
}

describe('coordinate watch, a commit that breaks the tests', () => {
  it('at the observe tier: exactly one now notice, a proposal ready for `coordinate run`, no branch, and more autonomy once the person runs it to a verified result', async () => {
    const { repo, model, env, watcher, broken } = await breakAfterFirstTick({ watch: { tiers: { edit: { actions: 0, usd: 2 } } } });
    const [proposal] = await waitFor(async () => ((await inboxEntries(repo, 'proposal')).length > 0 ? inboxEntries(repo, 'proposal') : undefined), 'a proposal in the inbox', 60_000);
    await ticks(repo, (await receipts(repo)).length + 2);
    expect(await branches(repo)).toEqual(['main']);
    const requestsBeforeTheRun = model.requests.map((r) => r.route);

    const now = await inboxEntries(repo, 'now');
    expect(now).toHaveLength(1);
    expect(now[0]).toMatch(new RegExp(`main broke at ${broken.slice(0, 8)}: \`npm test\` exited 1`));
    expect(proposal).toContain('proposal: fix — Make the failing test pass');
    const planMd = /coordinate run (\S+plan\.md)/.exec(await inbox(repo))![1]!;
    expect(parsePlanMarkdown(await readFile(planMd, 'utf8')).tasks.map((t) => t.id)).toEqual(['find-bug', 'fix-add', 'run-tests']);
    // One triage request and nothing else: no planner, no worker.
    expect(requestsBeforeTheRun).toEqual(['fallback']);
    expect((await isolatedGit(repo, ['rev-parse', 'main'])).trim()).toBe(broken);
    const fix = (await receipts(repo)).flatMap((r) => r.decisions).find((d) => d.action === 'fix')!;
    expect(fix).toMatchObject({ tier: 'edit', outcome: 'proposed', budgetLeft: { actions: 0 } });

    // The person runs the proposal; once it is verified the edit tier earns an action a day.
    const run = await coordinate(['run', planMd, '--workers', '2'], { cwd: repo, env });
    expect(run.exitCode, run.stderr).toBe(0);
    const budget = await waitFor(async () => (await budgetChanges(repo)).at(0), 'the budget change', 60_000);
    expect(budget).toMatchObject({ tier: 'edit', from: 0, to: 1 });
    expect(budget.reason).toMatch(/^proposal \S+ was run to a verified result \(run \S+\)$/);
    const result = await stopForeground(watcher);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.match(/\[now\]/g)).toHaveLength(1);
    expect(result.stdout).toContain('\x07[now]');
  }, 180_000);

  it('at the observe tier: less autonomy once the person rejects the proposal by deleting it, as the inbox says', async () => {
    // One edit a day but no dollars for it: the fix degrades to a proposal while the tier still has an action to lose.
    const { repo, watcher } = await breakAfterFirstTick({ watch: { tiers: { edit: { actions: 1, usd: 0 } } } });
    await waitFor(async () => ((await inboxEntries(repo, 'proposal')).length > 0 ? true : undefined), 'a proposal in the inbox', 60_000);
    const planMd = /coordinate run (\S+plan\.md)/.exec(await inbox(repo))![1]!;
    expect(await inbox(repo)).toContain(`To reject it, delete ${dirname(planMd)}`);
    await rm(dirname(planMd), { recursive: true });
    const budget = await waitFor(async () => (await budgetChanges(repo)).at(0), 'the budget change', 60_000);
    expect(budget).toMatchObject({ tier: 'edit', from: 1, to: 0 });
    expect(budget.reason).toMatch(/^proposal \S+ was rejected: its plan was deleted without being run$/);
    const result = await stopForeground(watcher);
    expect(result.exitCode, result.stderr).toBe(0);
  }, 180_000);

  it('at the edit tier: one now notice, a fix verified on the watcher\'s own branch in the background while ticks go on, the person\'s branch as it was, and more autonomy once the person merges it, less once they revert it', async () => {
    const { repo, env, watcher, broken } = await breakAfterFirstTick({ watch: { blockingBudget: '100ms' } });
    const [fixed] = await waitFor(async () => ((await inboxEntries(repo, 'fix')).length > 0 ? inboxEntries(repo, 'fix') : undefined), 'the fix in the inbox', 150_000);

    const [runId] = await runIds(repo, env);
    expect(fixed).toContain(`fix verified on coordinate/${runId}`);
    expect(await inboxEntries(repo, 'now')).toHaveLength(1);
    expect(await isolatedGit(repo, ['show', `coordinate/${runId}:src/math.js`])).toBe(FIXED_MATH);
    // The person's branch and checkout are untouched.
    expect((await isolatedGit(repo, ['rev-parse', 'main'])).trim()).toBe(broken);
    expect(await readFile(join(repo, 'src/math.js'), 'utf8')).toBe(BROKEN_MATH);
    expect((await isolatedGit(repo, ['symbolic-ref', '--short', 'HEAD'])).trim()).toBe('main');
    const runs = await coordinate(['runs'], { cwd: repo, env });
    expect(runs.stdout).toMatch(new RegExp(`${runId}\\s+succeeded`));
    // Past the 100 ms blocking budget the run went to the background and the ticks went on meanwhile.
    const all = await receipts(repo);
    const fixTick = all.find((r) => r.decisions.some((d) => d.action === 'fix'))!;
    const fix = fixTick.decisions.find((d) => d.action === 'fix')!;
    expect(fix).toMatchObject({ tier: 'edit', outcome: 'background' });
    expect(fix.detail).toContain(`coordinate/${runId}`);
    const finished = (await readFile(join(runDir(repo, runId!), 'journal.jsonl'), 'utf8')).split('\n').find((line) => line.includes('"run.finished"'))!;
    const finishedAt = (JSON.parse(finished) as { ts: number }).ts;
    expect(all.filter((r) => r.tick > fixTick.tick && r.ts < finishedAt).length).toBeGreaterThan(0);
    expect(all.map((r) => r.tick)).toEqual(all.map((_, i) => i + 1));

    // The person merges the watcher's branch: the edit tier earns one more action a day, journaled with the reason.
    await isolatedGit(repo, ['-c', 'commit.gpgsign=false', 'merge', '-q', '--no-edit', `coordinate/${runId}`]);
    const budget = await waitFor(async () => (await budgetChanges(repo)).at(0), 'the budget change', 60_000);
    expect(budget).toMatchObject({ tier: 'edit', from: 3, to: 4, reason: `coordinate/${runId} was merged into main` });

    // The person reverts what they merged: the action is taken back, with the revert named.
    const parents = (await isolatedGit(repo, ['rev-list', '--parents', '-n', '1', 'HEAD'])).trim().split(' ').length - 1;
    await isolatedGit(repo, ['-c', 'commit.gpgsign=false', 'revert', '--no-edit', ...(parents > 1 ? ['-m', '1'] : []), 'HEAD']);
    const revert = (await isolatedGit(repo, ['rev-parse', 'HEAD'])).trim();
    const lowered = await waitFor(async () => (await budgetChanges(repo)).at(1), 'the budget change after the revert', 60_000);
    expect(lowered).toMatchObject({ tier: 'edit', from: 4, to: 3 });
    expect(lowered.reason).toMatch(new RegExp(`^coordinate/${runId} was reverted on main by ${revert.slice(0, 8)} \\("Revert `));
    const result = await stopForeground(watcher);
    expect(result.exitCode, result.stderr).toBe(0);
    const log = await coordinate(['watch', 'log'], { cwd: repo, env });
    expect(log.stdout).toContain(`budget  edit: 3 → 4 actions a day (coordinate/${runId} was merged into main)`);
  }, 180_000);
});
