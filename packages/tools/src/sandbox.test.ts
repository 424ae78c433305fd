import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxError } from './errors.js';
import { createSandbox, type Sandbox } from './sandbox.js';

let base: string;
let root: string;
let sandbox: Sandbox;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'sandbox-')));
  root = path.join(base, 'x');
  await mkdir(path.join(root, 'src'), { recursive: true });
  await writeFile(path.join(root, 'src', 'a.ts'), 'export {};\n');
  sandbox = createSandbox(root);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function refusal(input: string, access: 'read' | 'write'): Promise<SandboxError> {
  const error = await sandbox.resolve(input, access).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SandboxError);
  return error as SandboxError;
}

describe('sandbox.resolve', () => {
  it('resolves relative paths, existing or not, to real paths inside the root', async () => {
    expect(await sandbox.resolve('src/a.ts', 'read')).toBe(path.join(root, 'src', 'a.ts'));
    expect(await sandbox.resolve('./src/../src/new/b.ts', 'write')).toBe(path.join(root, 'src', 'new', 'b.ts'));
    expect(await sandbox.resolve('.', 'read')).toBe(root);
    expect(await sandbox.resolve(path.join(root, 'src', 'a.ts'), 'read')).toBe(path.join(root, 'src', 'a.ts'));
  });

  it('refuses ../../etc/passwd and absolute paths outside the root', async () => {
    expect((await refusal('../../etc/passwd', 'read')).code).toBe('outside_root');
    expect((await refusal('/etc/passwd', 'read')).code).toBe('outside_root');
    expect((await refusal('../x2/file', 'write')).code).toBe('outside_root');
  });

  it('treats a sibling whose name starts with the root name as outside', async () => {
    await mkdir(path.join(base, 'x-evil'));
    await writeFile(path.join(base, 'x-evil', 'loot.txt'), 'secret');
    expect((await refusal(path.join(base, 'x-evil', 'loot.txt'), 'read')).code).toBe('outside_root');
    expect((await refusal('../x-evil/loot.txt', 'write')).code).toBe('outside_root');
  });

  it('refuses to read or write through a symbolic link that leads out of the root', async () => {
    await mkdir(path.join(base, 'outside'));
    await writeFile(path.join(base, 'outside', 'secret.txt'), 'secret');
    await symlink(path.join(base, 'outside'), path.join(root, 'escape'));
    await symlink(path.join(base, 'outside', 'secret.txt'), path.join(root, 'secret-link'));
    expect((await refusal('escape/secret.txt', 'read')).code).toBe('outside_root');
    expect((await refusal('escape/new.txt', 'write')).code).toBe('outside_root');
    expect((await refusal('secret-link', 'read')).code).toBe('outside_root');
    expect((await refusal('secret-link', 'write')).code).toBe('outside_root');
  });

  it('follows a dangling symbolic link to where a write would land', async () => {
    await symlink(path.join(base, 'outside-not-yet', 'planted.txt'), path.join(root, 'dangling'));
    expect((await refusal('dangling', 'write')).code).toBe('outside_root');
    await symlink('src/later.ts', path.join(root, 'inner-link'));
    expect(await sandbox.resolve('inner-link', 'write')).toBe(path.join(root, 'src', 'later.ts'));
  });

  it('allows symbolic links that stay inside the root', async () => {
    await symlink(path.join(root, 'src'), path.join(root, 'alias'));
    expect(await sandbox.resolve('alias/a.ts', 'read')).toBe(path.join(root, 'src', 'a.ts'));
  });

  it('refuses writes into .git and .coordinate at any depth but allows reading them', async () => {
    await mkdir(path.join(root, '.git'));
    await writeFile(path.join(root, '.git', 'config'), '[core]\n');
    expect((await refusal('.git/config', 'write')).code).toBe('protected_path');
    expect((await refusal('.git/hooks/pre-commit', 'write')).code).toBe('protected_path');
    expect((await refusal('.coordinate/config.json', 'write')).code).toBe('protected_path');
    expect((await refusal('packages/app/.git/HEAD', 'write')).code).toBe('protected_path');
    expect((await refusal('.GIT/config', 'write')).code).toBe('protected_path');
    expect(await sandbox.resolve('.git/config', 'read')).toBe(path.join(root, '.git', 'config'));
  });

  it('refuses writes that reach .coordinate through a symbolic link', async () => {
    await mkdir(path.join(root, '.coordinate'));
    await symlink(path.join(root, '.coordinate'), path.join(root, 'state'));
    expect((await refusal('state/config.json', 'write')).code).toBe('protected_path');
  });

  it('refuses empty paths and paths with NUL bytes', async () => {
    expect((await refusal('', 'read')).code).toBe('invalid_path');
    expect((await refusal('a\0b', 'read')).code).toBe('invalid_path');
  });

  it('says which path was refused and that only paths inside the root work', async () => {
    const error = await refusal('../../etc/passwd', 'read');
    expect(error.message).toContain('"../../etc/passwd"');
    expect(error.message).toContain('inside the task root');
  });

  it('refuses a root that does not exist', () => {
    expect(() => createSandbox(path.join(base, 'missing'))).toThrow(SandboxError);
  });
});
