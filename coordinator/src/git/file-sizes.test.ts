import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSizesAt } from './file-sizes.js';
import { TempDirs, sh } from './test-repo.test-helper.js';

const temp = new TempDirs();
afterEach(() => temp.removeAll());

describe('fileSizesAt', () => {
  it("gives each committed file's size at that commit, not the working tree's, with names that need quoting", async () => {
    const repo = await temp.repo({ 'src/a.ts': 'export {};\n', 'docs/ä b.md': 'hello\n' });
    await writeFile(join(repo, 'src/a.ts'), 'export const changed = 1;\n');
    await writeFile(join(repo, 'new.txt'), 'not committed\n');
    const sizes = await fileSizesAt(repo, 'HEAD');
    expect(sizes).toEqual(new Map([['src/a.ts', 11], ['docs/ä b.md', 6]]));
  });

  it('says the sizes are unknown (not that no file exists) when the commit does not', async () => {
    const repo = await temp.repo({ 'a.txt': 'a\n' });
    await sh(repo, ['checkout', '-q', '--orphan', 'empty']);
    expect(await fileSizesAt(repo, 'HEAD')).toBeUndefined();
    expect(await fileSizesAt(repo, 'no-such-ref')).toBeUndefined();
  });
});
