import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixtureRepo, isolatedGit as git, type FixtureRepo } from '@coordinate/testkit';
import { BranchReader } from './branch-reader.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((clean) => clean()));
});

async function repo(): Promise<FixtureRepo> {
  const made = await createFixtureRepo({ prefix: 'coordinate-branch-reader-' });
  cleanups.push(() => made.cleanup());
  return made;
}

/** A reader whose lookups are real `git rev-parse` runs, counted. */
function countingReader() {
  const counted = { lookups: 0 };
  const reader = new BranchReader(async (cwd, ref) => {
    counted.lookups++;
    return (await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '')).trim() || undefined;
  });
  return { reader, counted };
}

const REF = 'refs/heads/coordinate/r1';

describe('BranchReader', () => {
  it('asks git once while the branch stays put, and again as soon as it moves, by a commit or by packing refs', async () => {
    const { dir } = await repo();
    await git(dir, ['branch', 'coordinate/r1']);
    const { reader, counted } = countingReader();
    const first = await git(dir, ['rev-parse', 'coordinate/r1']);
    for (let i = 0; i < 5; i++) expect(await reader.commitOf(dir, REF)).toBe(first.trim());
    expect(counted.lookups).toBe(1);

    await git(dir, ['commit', '-q', '--allow-empty', '-m', 'moved']);
    await git(dir, ['branch', '-f', 'coordinate/r1', 'HEAD']);
    const moved = (await git(dir, ['rev-parse', 'HEAD'])).trim();
    expect(moved).not.toBe(first.trim());
    expect(await reader.commitOf(dir, REF)).toBe(moved);
    expect(counted.lookups).toBe(2);

    // Packed, the loose ref file goes away: the branch is read again and names the same commit.
    await git(dir, ['pack-refs', '--all']);
    expect(await reader.commitOf(dir, REF)).toBe(moved);
    expect(counted.lookups).toBe(3);
  });

  it('answers undefined for a folder outside git without asking git for the branch', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coordinate-branch-reader-plain-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const { reader, counted } = countingReader();
    expect(await reader.commitOf(dir, REF)).toBeUndefined();
    expect(await reader.commitOf(dir, REF)).toBeUndefined();
    expect(counted.lookups).toBe(0);
  });
});
