import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitBlobSha } from './index.js';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

function repo() {
  const root = memory.dir();
  git(root, 'init', '-q', '-b', 'main');
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'limiter.ts'), 'export const limit = 10;\n');
  writeFileSync(join(root, 'src', 'other.ts'), 'export const other = 1;\n');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'init');
  return root;
}

describe('revalidation', () => {
  it('anchors a file at the blob id git gives it', () => {
    const root = repo();
    const store = memory.open(join(root, 'memory.db'), { repoRoot: root });
    const { id } = store.admit({ kind: 'fact', text: 'The limiter allows ten requests per window.', files: ['src/limiter.ts'] });
    expect(store.get(id)!.anchors[0]!.blobSha).toBe(git(root, 'hash-object', 'src/limiter.ts'));
    expect(gitBlobSha(Buffer.from('export const other = 1;\n'))).toBe(git(root, 'hash-object', 'src/other.ts'));
  });

  it('flags an entry whose anchored file changed, ranks it down, and clears the flag when the file is back', () => {
    const root = repo();
    const store = memory.open(join(root, 'memory.db'), { repoRoot: root });
    const stale = store.admit({ kind: 'fact', text: 'The limiter window allows ten requests.', files: ['src/limiter.ts'] }).id;
    const fresh = store.admit({ kind: 'fact', text: 'The limiter window resets every minute.', files: ['src/other.ts'] }).id;
    const before = store.retrieve({ query: 'limiter window', tokenBudget: 500 });
    expect(before.every((r) => !r.needsRevalidation)).toBe(true);

    writeFileSync(join(root, 'src', 'limiter.ts'), 'export const limit = 50;\n');
    const live = store.retrieve({ query: 'limiter window', tokenBudget: 500, repoRoot: root });
    expect(live.find((r) => r.id === stale)).toMatchObject({ needsRevalidation: true });
    expect(live.map((r) => r.id)).toEqual([fresh, stale]);
    expect(live.find((r) => r.id === stale)!.summary).toContain('needs revalidation');

    expect(store.revalidate(root)).toMatchObject({ changed: [stale], confirmed: [] });
    expect(store.get(stale)!.needsRevalidation).toBe(true);
    expect(store.retrieve({ query: 'limiter window', tokenBudget: 500 }).map((r) => r.id)).toEqual([fresh, stale]);

    writeFileSync(join(root, 'src', 'limiter.ts'), 'export const limit = 10;\n');
    expect(store.revalidate(root)).toMatchObject({ changed: [], confirmed: [stale] });
    expect(store.get(stale)!.needsRevalidation).toBe(false);
  });

  it('flags an entry whose anchored file was deleted', () => {
    const root = repo();
    const store = memory.open(join(root, 'memory.db'), { repoRoot: root });
    const { id } = store.admit({ kind: 'fact', text: 'Other holds the shared constant.', files: ['src/other.ts'] });
    rmSync(join(root, 'src', 'other.ts'));
    expect(store.revalidate(root).changed).toEqual([id]);
    expect(store.history(id).at(-1)!.detail).toContain('src/other.ts (gone)');
  });
});
