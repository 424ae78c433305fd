import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, cliEnv, sampleRepo, scriptedServer, startCoordinate } from '../cli/helpers.js';
import { closeStandIns, commitFile, FIXED_MATH, gitHubStandIn, inbox, stopForeground, ticks, watchDir } from './helpers.js';

afterEach(async () => {
  await cleanup();
  await closeStandIns();
});

/**
 * "Two minutes of idle ticks" at the default 5-minute interval would be no tick at all; what the
 * issue asks is that idle ticks cost nothing however many there are. Twelve ticks 250 ms apart
 * run every check (git heads, pull requests, memory) twelve times in about three seconds.
 */
const IDLE_TICKS = 12;

describe('coordinate watch, idle', () => {
  it('makes zero model requests over many idle ticks and leaves one receipt per tick', async () => {
    const repo = await sampleRepo({ commands: { test: 'npm test' }, watch: { githubRepo: 'acme/sample' } });
    await commitFile(repo, 'src/math.js', FIXED_MATH, 'Fix add');
    const model = await scriptedServer({});
    const token = 'ghp_idleTestToken0123456789';
    const github = await gitHubStandIn('acme/sample', token, [
      { number: 3, title: 'Tidy the README', login: 'alice', sha: 'a'.repeat(40), ref: 'tidy', checks: [{ name: 'ci/test', conclusion: 'success' }], comments: [{ id: 1, login: 'bob', body: 'LGTM' }] },
    ]);
    const env = cliEnv(model, { GITHUB_API_URL: github.url, GITHUB_TOKEN: token, COORDINATE_WATCH_DESKTOP: '0' });
    const watcher = startCoordinate(['watch', '--every', '250ms'], { cwd: repo, env });

    const seen = await ticks(repo, IDLE_TICKS);
    const result = await stopForeground(watcher);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(model.requests).toEqual([]);
    const all = await ticks(repo, IDLE_TICKS);
    expect(all.map((r) => r.tick)).toEqual(all.map((_, i) => i + 1));
    for (const receipt of seen) {
      expect(receipt.checked.join('; ')).toMatch(/git heads of main.*pull requests of acme\/sample.*memory/);
      expect(receipt.findings).toEqual([]);
      expect(receipt.decisions).toEqual([]);
      expect(receipt.usage.costUsd).toBe(0);
    }
    // The pull requests really were read on every tick, with the token.
    expect(github.requests.filter((r) => r.path === '/repos/acme/sample/pulls').length).toBeGreaterThanOrEqual(IDLE_TICKS);
    expect(github.requests.every((r) => r.authorized)).toBe(true);
    expect(await inbox(repo)).toBe('');
    // A stopped watcher gives the lock back, and the token is in none of its files.
    expect(await stat(join(watchDir(repo), 'watch.pid')).catch(() => undefined)).toBeUndefined();
    for (const name of await readdir(watchDir(repo))) expect(await readFile(join(watchDir(repo), name), 'utf8')).not.toContain(token);
  });
});
