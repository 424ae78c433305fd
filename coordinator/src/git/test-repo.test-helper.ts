import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { execa } from 'execa';

/** Setup runs git directly (not through the code under test), as a person would, with an explicit identity. */
export async function sh(cwd: string, args: string[], input?: string): Promise<string> {
  const result = await execa('git', args, {
    cwd,
    input: input ?? '',
    extendEnv: false,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: cwd,
      // Keeps `git status` in the snapshot from refreshing the index it is checking.
      GIT_OPTIONAL_LOCKS: '0',
      GIT_AUTHOR_NAME: 'Person',
      GIT_AUTHOR_EMAIL: 'person@example.com',
      GIT_COMMITTER_NAME: 'Person',
      GIT_COMMITTER_EMAIL: 'person@example.com',
    },
  });
  return result.stdout;
}

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

/** Temp dirs made by a test file, removed in its afterEach. */
export class TempDirs {
  readonly #dirs: string[] = [];

  async make(prefix = 'coordinate-git-'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.#dirs.push(dir);
    return dir;
  }

  /** A repository on `main` with one commit holding `files`. */
  async repo(files: Record<string, string> = { 'README.md': '# demo\n' }): Promise<string> {
    const dir = await this.make();
    await sh(dir, ['init', '--quiet', '-b', 'main']);
    await writeFiles(dir, files);
    await sh(dir, ['add', '--all']);
    await sh(dir, ['commit', '--quiet', '-m', 'initial']);
    return dir;
  }

  async removeDir(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  async removeAll(): Promise<void> {
    await Promise.all(this.#dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

async function walk(root: string, dir: string, skip: (path: string) => boolean, out: Record<string, string>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const path = relative(root, full);
    if (skip(path)) continue;
    if (entry.isDirectory()) await walk(root, full, skip, out);
    else out[path] = createHash('sha256').update(await readFile(full)).digest('hex');
  }
}

/**
 * Everything of the person's checkout a run must leave alone, byte for byte: HEAD, the index file,
 * the current branch's ref, and every working-tree file (untracked ones included). `.coordinate/`
 * is the run's own folder and `.git` internals other than these are git's bookkeeping.
 */
export async function checkoutSnapshot(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  await walk(root, root, (path) => path === '.git' || path === '.coordinate', files);
  const hash = async (path: string) => createHash('sha256').update(await readFile(join(root, '.git', path))).digest('hex');
  const head = await readFile(join(root, '.git', 'HEAD'), 'utf8');
  return {
    ...files,
    '<HEAD>': head,
    '<index>': await hash('index'),
    '<branch tip>': await sh(root, ['rev-parse', 'HEAD']),
    '<status>': await sh(root, ['status', '--porcelain=v1', '--untracked-files=all', '--', '.', ':(exclude).coordinate']),
  };
}
