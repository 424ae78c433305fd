import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskSpec } from '@coordinate/protocol';
import { createFixtureRepo, isolatedGit, startScriptedServer, type FixtureRepo, type Scenario, type ScriptedServer } from '@coordinate/testkit';

export const API_KEY = 'sk-test-orchestrate-canary-7c1e9a';

const cleanups: (() => Promise<unknown>)[] = [];
/** Closes every server and removes every temp dir and fixture made by a test. */
export async function cleanUp(): Promise<void> {
  await Promise.all(cleanups.splice(0).map((close) => close()));
}

export async function tempDir(prefix = 'coordinate-orchestrate-'): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function fixtureRepo(): Promise<FixtureRepo> {
  const repo = await createFixtureRepo({ prefix: 'coordinate-orchestrate-repo-' });
  cleanups.push(() => repo.cleanup());
  return repo;
}

export async function scriptedModel(scenario: Scenario): Promise<ScriptedServer> {
  const server = await startScriptedServer({ scenario });
  cleanups.push(() => server.close());
  return server;
}

/** The worker environment that points the SDK at the scripted server. */
export const modelEnv = (server: ScriptedServer): Record<string, string> => ({
  ANTHROPIC_API_KEY: API_KEY,
  ANTHROPIC_BASE_URL: server.url,
  HOME: tmpdir(),
});

/** Shared model settings that keep retries quick. */
export const quickModel = { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 } };

/** Git with no machine config and an explicit identity, as CI has none. */
export const git = isolatedGit;

/** What the person has: current branch, HEAD, index and working tree (`.coordinate/` aside, as it is ignored). */
export async function checkoutSnapshot(dir: string): Promise<{ branch: string; head: string; status: string; index: string }> {
  return {
    branch: (await git(dir, ['symbolic-ref', '--short', 'HEAD'])).trim(),
    head: (await git(dir, ['rev-parse', 'HEAD'])).trim(),
    status: await git(dir, ['status', '--porcelain=v1', '--untracked-files=all']),
    index: await git(dir, ['ls-files', '--stage']),
  };
}

export const task = (spec: Partial<TaskSpec> & Pick<TaskSpec, 'id' | 'role'>): TaskSpec =>
  TaskSpec.parse({ title: `Task ${spec.id}`, instructions: `Do ${spec.id}.`, dependsOn: [], ...spec });
