import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, cliEnv, sampleRepo, scriptedServer, startCoordinate, waitFor } from '../cli/helpers.js';
import { closeStandIns, digest, gitHubStandIn, inboxEntries, receipts, stopForeground, ticks } from './helpers.js';
import { triageScenario } from './scenarios.js';

afterEach(async () => {
  await cleanup();
  await closeStandIns();
});

describe('coordinate watch, pull requests', () => {
  it('raises a now notice naming a failing check on a watched author\'s pull request, and files a new review comment in the digest', async () => {
    const repo = await sampleRepo({ watch: { githubRepo: 'acme/sample', authors: ['alice'] } });
    const token = 'ghp_pullRequestTestToken0123';
    const github = await gitHubStandIn('acme/sample', token, [
      { number: 7, title: 'Speed up add', login: 'alice', sha: '7'.repeat(40), ref: 'fast-add', checks: [{ name: 'ci/test', conclusion: 'failure' }, { name: 'ci/lint', conclusion: 'success' }], comments: [] },
      { number: 8, title: 'Someone else', login: 'mallory', sha: '8'.repeat(40), ref: 'other', checks: [{ name: 'ci/other', conclusion: 'failure' }], comments: [] },
    ]);
    const model = await scriptedServer(triageScenario([{ kind: 'note', reason: 'the author is on it' }]));
    const env = cliEnv(model, { GITHUB_API_URL: github.url, GITHUB_TOKEN: token, COORDINATE_WATCH_DESKTOP: '0' });
    const watcher = startCoordinate(['watch', '--every', '300ms'], { cwd: repo, env });

    const [notice] = await waitFor(async () => ((await inboxEntries(repo, 'now')).length > 0 ? inboxEntries(repo, 'now') : undefined), 'the notice', 30_000);
    expect(notice).toContain('pull request #7 (Speed up add): check "ci/test" failure');

    github.pulls[0]!.comments.push({ id: 501, login: 'bob', body: 'Please keep `add` pure.', path: 'src/math.js' });
    await waitFor(async () => (await digest(repo)).includes('Please keep'), 'the comment in the digest', 30_000);
    await ticks(repo, (await receipts(repo)).length + 2);
    const result = await stopForeground(watcher);
    expect(result.exitCode, result.stderr).toBe(0);

    const text = await digest(repo);
    expect(text).toMatch(/· digest \d{4}-\d\d-\d\d · review comment on #7 \(Speed up add\) by bob on src\/math\.js/);
    expect(text).toContain('> Please keep `add` pure.');
    // Noticed once, and nothing about the pull request of an author who is not watched.
    expect(await inboxEntries(repo, 'now')).toHaveLength(1);
    expect(JSON.stringify(await receipts(repo))).not.toContain('ci/other');
    // One triage, for the failing check; the comment needed no model.
    expect(model.requests.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('keeps ticking when the GitHub API refuses, and says so in the receipt without the token', async () => {
    const repo = await sampleRepo({ watch: { githubRepo: 'acme/sample' } });
    const github = await gitHubStandIn('acme/sample', 'ghp_theRightToken0123456789', []);
    const wrong = 'ghp_aWrongToken0123456789abc';
    const model = await scriptedServer({});
    const watcher = startCoordinate(['watch', '--every', '200ms'], { cwd: repo, env: cliEnv(model, { GITHUB_API_URL: github.url, GITHUB_TOKEN: wrong, COORDINATE_WATCH_DESKTOP: '0' }) });
    const seen = await ticks(repo, 3);
    const result = await stopForeground(watcher);
    expect(result.exitCode, result.stderr).toBe(0);
    for (const receipt of seen) expect(receipt.changed).toContain('pull requests not read: GitHub API /repos/acme/sample/pulls answered 401');
    expect(JSON.stringify(seen) + result.stdout + result.stderr).not.toContain(wrong);
    expect(model.requests).toEqual([]);
  });
});
