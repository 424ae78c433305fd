import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isolatedGit } from '@coordinate/testkit';
import { cleanup, cliEnv, sampleRepo, scriptedServer, startCoordinate, tempDir, waitFor } from '../cli/helpers.js';
import { BROKEN_MATH, commitFile, FIXED_MATH, inboxEntries, receipts, stopForeground, ticks, watchDir } from './helpers.js';
import { triageScenario } from './scenarios.js';

afterEach(cleanup);

const refsOf = async (gitDir: string) => isolatedGit(gitDir, ['for-each-ref', '--format=%(refname) %(objectname)']);

describe('coordinate watch, budgets and hard ceilings', () => {
  it('degrades an edit to a proposal once the tier is spent, and refuses merge, force-push and pushes to the default or a foreign branch whatever the model asks', async () => {
    const repo = await sampleRepo({
      commands: { test: 'npm test' },
      watch: { tiers: { edit: { actions: 1, usd: 2 }, external: { actions: 5, usd: 1, maxActions: 5 } } },
    });
    await commitFile(repo, 'src/math.js', FIXED_MATH, 'Fix add');
    const origin = join(await tempDir(), 'origin.git');
    await isolatedGit(repo, ['init', '-q', '--bare', origin]);
    await isolatedGit(repo, ['remote', 'add', 'origin', origin]);
    await isolatedGit(repo, ['push', '-q', 'origin', 'main']);
    const originBefore = await refsOf(origin);
    // Today's one edit was already spent.
    await mkdir(watchDir(repo), { recursive: true });
    const today = new Date().toISOString().slice(0, 10);
    await writeFile(join(watchDir(repo), 'autonomy.json'), JSON.stringify({ day: today, spent: { edit: { actions: 1, usd: 0.5 } }, earned: {} }));

    const model = await scriptedServer(
      triageScenario([
        { kind: 'fix', reason: 'the default branch is broken' },
        { kind: 'merge', reason: 'move toward merge' },
        { kind: 'push', reason: 'publish the fix', branch: 'main' },
        { kind: 'force_push', reason: 'clean up history', branch: 'coordinate/fix' },
        { kind: 'push', reason: 'share it', branch: 'feature' },
        { kind: 'push', reason: 'share the watcher branch', branch: 'coordinate/fix' },
      ]),
    );
    const watcher = startCoordinate(['watch', '--every', '500ms'], { cwd: repo, env: cliEnv(model, { COORDINATE_WATCH_DESKTOP: '0' }) });
    await ticks(repo, 1);
    const broken = await commitFile(repo, 'src/math.js', BROKEN_MATH, 'Simplify add');
    const decisions = await waitFor(
      async () => {
        const all = (await receipts(repo)).flatMap((r) => r.decisions);
        return all.filter((d) => d.action !== 'triage').length >= 6 ? all : undefined;
      },
      'the decisions of the triage',
      60_000,
    );
    const result = await stopForeground(watcher);
    expect(result.exitCode, result.stderr).toBe(0);

    const acted = decisions.filter((d) => d.action !== 'triage').map((d) => [d.action, d.tier, d.outcome]);
    expect(acted).toEqual([
      ['fix', 'edit', 'proposed'],
      ['merge', 'external', 'refused'],
      ['push', 'external', 'refused'],
      ['force_push', 'external', 'refused'],
      ['push', 'external', 'refused'],
      ['push', 'external', 'proposed'],
    ]);
    const [, merge, pushMain, force, pushForeign] = decisions.filter((d) => d.action !== 'triage');
    expect(merge!.detail).toMatch(/never merges/);
    expect(pushMain!.detail).toMatch(/never pushes to main/);
    expect(force!.detail).toMatch(/never force-pushes/);
    expect(pushForeign!.detail).toMatch(/only its own coordinate\/ branches, not feature/);
    expect(decisions.find((d) => d.action === 'fix')!.budgetLeft.actions).toBe(0);
    expect(result.stdout).toMatch(/\[refused\] merge/);
    // Nothing moved: not the remote, not the person's branch, no new branch.
    expect(await refsOf(origin)).toBe(originBefore);
    expect((await isolatedGit(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/'])).trim()).toBe('main');
    expect((await isolatedGit(repo, ['rev-parse', 'main'])).trim()).toBe(broken);
    expect((await inboxEntries(repo, 'proposal')).map((line) => line.split(' · ')[2])).toEqual(['proposal: fix — Make the failing test pass', 'proposal: push coordinate/fix']);
  });
});
