import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePlanMarkdown } from '@coordinate/plan';
import { isolatedGit } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, runIds, sampleRepo, scriptedServer, startCoordinate, waitFor } from '../cli/helpers.js';
import { BROKEN_MATH, commitFile, FIXED_MATH, inbox, inboxEntries, receipts, stopForeground, ticks } from './helpers.js';
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
  it('at the observe tier: exactly one now notice, a proposal ready for `coordinate run`, and no branch', async () => {
    const { repo, model, watcher, broken } = await breakAfterFirstTick({ watch: { tiers: { edit: { actions: 0, usd: 2 } } } });
    const [proposal] = await waitFor(async () => ((await inboxEntries(repo, 'proposal')).length > 0 ? inboxEntries(repo, 'proposal') : undefined), 'a proposal in the inbox', 60_000);
    await ticks(repo, (await receipts(repo)).length + 2);
    const result = await stopForeground(watcher);
    expect(result.exitCode, result.stderr).toBe(0);

    const now = await inboxEntries(repo, 'now');
    expect(now).toHaveLength(1);
    expect(now[0]).toMatch(new RegExp(`main broke at ${broken.slice(0, 8)}: \`npm test\` exited 1`));
    expect(result.stdout.match(/\[now\]/g)).toHaveLength(1);
    expect(result.stdout).toContain('\x07[now]');
    expect(proposal).toContain('proposal: fix — Make the failing test pass');
    const planMd = /coordinate run (\S+plan\.md)/.exec(await inbox(repo))![1]!;
    expect(parsePlanMarkdown(await readFile(planMd, 'utf8')).tasks.map((t) => t.id)).toEqual(['find-bug', 'fix-add', 'run-tests']);
    // One triage request and nothing else: no planner, no worker.
    expect(model.requests.map((r) => r.route)).toEqual(['fallback']);
    expect(await branches(repo)).toEqual(['main']);
    expect((await isolatedGit(repo, ['rev-parse', 'main'])).trim()).toBe(broken);
    const fix = (await receipts(repo)).flatMap((r) => r.decisions).find((d) => d.action === 'fix')!;
    expect(fix).toMatchObject({ tier: 'edit', outcome: 'proposed', budgetLeft: { actions: 0 } });
  });

  it('at the edit tier: one now notice, and a fix verified on the watcher\'s own branch while the person\'s branch stays as it was', async () => {
    const { repo, env, watcher, broken } = await breakAfterFirstTick({});
    const [fixed] = await waitFor(async () => ((await inboxEntries(repo, 'fix')).length > 0 ? inboxEntries(repo, 'fix') : undefined), 'the fix in the inbox', 150_000);
    const result = await stopForeground(watcher);
    expect(result.exitCode, result.stderr).toBe(0);

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
    const fix = (await receipts(repo)).flatMap((r) => r.decisions).find((d) => d.action === 'fix')!;
    expect(fix.tier).toBe('edit');
    expect(['done', 'background']).toContain(fix.outcome);
    expect(fix.detail).toContain(`coordinate/${runId}`);
  }, 180_000);
});
