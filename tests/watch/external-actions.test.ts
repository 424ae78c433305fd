import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, cliEnv, coordinate, sampleRepo, scriptedServer, startCoordinate, tempDir, waitFor } from '../cli/helpers.js';
import { closeStandIns, gitHubStandIn, inboxEntries, receipts, stopForeground } from './helpers.js';
import type { StandInPullRequest } from './github-stand-in.js';
import { triageScenario } from './scenarios.js';

afterEach(async () => {
  await cleanup();
  await closeStandIns();
});

const failingPullRequest = (number: number): StandInPullRequest => ({
  number,
  title: `Change ${number}`,
  login: 'alice',
  sha: String(number).repeat(40).slice(0, 40),
  ref: `change-${number}`,
  checks: [{ name: 'ci/test', conclusion: 'failure' }],
  comments: [],
});

/** The decisions on external actions in the receipts, once the triage of a tick made them. */
const externalDecisions = (repo: string, after: number) =>
  waitFor(
    async () => {
      const decided = (await receipts(repo)).slice(after).flatMap((r) => r.decisions.filter((d) => d.tier === 'external'));
      return decided.length >= 2 ? decided : undefined;
    },
    'the decisions on external actions',
    60_000,
  );

describe('coordinate watch, actions other people see', () => {
  it('only proposes a comment or a pull request, even when trusted config gives the external tier a budget; untrusted config cannot raise a tier', async () => {
    const repo = await sampleRepo({ watch: { githubRepo: 'acme/sample', authors: ['alice'], tiers: { external: { actions: 5, usd: 1, maxActions: 5 } } } });
    const token = 'ghp_externalActionsToken0123';
    const github = await gitHubStandIn('acme/sample', token, [failingPullRequest(7)]);
    const model = await scriptedServer(
      triageScenario([
        { kind: 'comment', reason: 'tell alice that ci/test fails' },
        { kind: 'open_pull_request', reason: 'offer the fix upstream' },
      ]),
    );
    const home = await tempDir('coordinate-home-');
    const env = cliEnv(model, { GITHUB_API_URL: github.url, GITHUB_TOKEN: token, COORDINATE_WATCH_DESKTOP: '0', HOME: home });

    // Untrusted: the file's external budget is not applied, and the watcher says so.
    const untrusted = startCoordinate(['watch', '--every', '300ms'], { cwd: repo, env });
    const before = await externalDecisions(repo, 0);
    const first = await stopForeground(untrusted);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toContain('It would widen (not applied; review with `coordinate trust`)');
    expect(first.stderr).toContain('watch.tiers.external.actions: 5 (yours: 0)');
    expect(before.map((d) => [d.action, d.outcome, d.budgetLeft.actions])).toEqual([
      ['comment', 'proposed', 0],
      ['open_pull_request', 'proposed', 0],
    ]);

    // Trusted: the tier has a budget now, and still nothing other people see is done by the watcher.
    expect((await coordinate(['trust', '--yes'], { cwd: repo, env })).exitCode).toBe(0);
    github.pulls.push(failingPullRequest(9));
    const seen = (await receipts(repo)).length;
    const trusted = startCoordinate(['watch', '--every', '300ms'], { cwd: repo, env });
    const after = await externalDecisions(repo, seen);
    const second = await stopForeground(trusted);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(after.map((d) => [d.action, d.outcome, d.budgetLeft.actions])).toEqual([
      ['comment', 'proposed', 5],
      ['open_pull_request', 'proposed', 5],
    ]);
    for (const decision of after) expect(decision.detail).toContain('only proposed: a person does it');

    expect((await inboxEntries(repo, 'proposal')).map((line) => line.split(' · ')[2])).toEqual([
      'proposal: comment',
      'proposal: open_pull_request',
      'proposal: comment',
      'proposal: open_pull_request',
    ]);
    // The GitHub API was only read.
    expect(github.requests.length).toBeGreaterThan(0);
    expect(github.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  }, 180_000);
});
