import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createToolset, type Toolset } from './toolset.js';

let base: string;
let root: string;
let tools: Toolset;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'file-tools-')));
  root = path.join(base, 'repo');
  await mkdir(path.join(root, 'src', 'lib'), { recursive: true });
  await mkdir(path.join(root, 'node_modules', 'dep'), { recursive: true });
  await mkdir(path.join(root, '.git'), { recursive: true });
  await writeFile(path.join(root, 'src', 'a.ts'), 'export const a = 1;\nexport const b = 2;\nexport const a2 = 1;\n');
  await writeFile(path.join(root, 'src', 'lib', 'util.ts'), 'export function util() {\n  return "needle";\n}\n');
  await writeFile(path.join(root, 'node_modules', 'dep', 'index.js'), 'needle\n');
  await writeFile(path.join(root, '.git', 'config'), 'needle\n');
  await writeFile(path.join(root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x6e, 0x65, 0x65, 0x64, 0x6c, 0x65]));
  tools = createToolset({ role: 'implement', root });
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('read_file', () => {
  it('shows numbered lines from a 1-based offset', async () => {
    const outcome = await tools.execute('read_file', { path: 'src/a.ts', offset: 2, limit: 1 });
    expect(outcome.isError).toBe(false);
    expect(outcome.content).toBe('2\texport const b = 2;\n[showing lines 2–2 of 3; read on with offset=3]');
  });

  it('refuses binary files', async () => {
    const outcome = await tools.execute('read_file', { path: 'logo.png' });
    expect(outcome.isError).toBe(true);
    expect(outcome.content).toMatch(/binary file/);
  });

  it('stops at the output cap and says where to read on', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i + 1} ${'x'.repeat(40)}`).join('\n');
    await writeFile(path.join(root, 'big.txt'), lines);
    const capped = createToolset({ role: 'research', root, maxOutputBytes: 4000 });
    const outcome = await capped.execute('read_file', { path: 'big.txt' });
    expect(Buffer.byteLength(outcome.content)).toBeLessThan(4200);
    expect(outcome.content).toMatch(/\[showing lines 1–\d+ of 5000; read on with offset=\d+\]$/);
  });

  it('names a missing file and an offset past the end', async () => {
    expect((await tools.execute('read_file', { path: 'src/nope.ts' })).content).toMatch(/no file or folder at "src\/nope.ts"/);
    expect((await tools.execute('read_file', { path: 'src/a.ts', offset: 9 })).content).toMatch(/offset 9 is past the end of src\/a.ts, which has 3 lines/);
  });
});

describe('list_files', () => {
  it('lists files relative to the root, skipping .git and node_modules', async () => {
    const outcome = await tools.execute('list_files', {});
    expect(outcome.content.split('\n')).toEqual(['logo.png', 'src/a.ts', 'src/lib/util.ts']);
    const scoped = await tools.execute('list_files', { path: 'src', pattern: '**/*.ts' });
    expect(scoped.content.split('\n')).toEqual(['src/a.ts', 'src/lib/util.ts']);
  });

  it('refuses globs that climb out of the folder', async () => {
    const outcome = await tools.execute('list_files', { pattern: '../**' });
    expect(outcome.isError).toBe(true);
    expect(outcome.content).toMatch(/must stay inside the folder/);
  });

  it('cuts long listings with a note', async () => {
    await mkdir(path.join(root, 'many'));
    await Promise.all(Array.from({ length: 1100 }, (_, i) => writeFile(path.join(root, 'many', `f${i}.txt`), '')));
    const outcome = await tools.execute('list_files', { path: 'many' });
    expect(outcome.content).toMatch(/\[… 100 more files not shown; narrow the pattern or the path\]$/);
  });
});

describe('search_files', () => {
  it('answers path:line: text, skipping binaries, .git and node_modules', async () => {
    const outcome = await tools.execute('search_files', { pattern: 'need(le)' });
    expect(outcome.content.split('\n')[0]).toBe('src/lib/util.ts:2: return "needle";');
    expect(outcome.content).not.toMatch(/node_modules|\.git\/|logo/);
  });

  it('narrows by glob and by path', async () => {
    expect((await tools.execute('search_files', { pattern: 'export', glob: 'lib/**', path: 'src' })).content).toBe('src/lib/util.ts:1: export function util() {');
    expect((await tools.execute('search_files', { pattern: 'const b', path: 'src/a.ts' })).content).toBe('src/a.ts:2: export const b = 2;');
  });

  it('reports an invalid regular expression clearly', async () => {
    const outcome = await tools.execute('search_files', { pattern: 'foo(' });
    expect(outcome.isError).toBe(true);
    expect(outcome.content).toMatch(/"foo\(" is not a valid JavaScript regular expression/);
  });

  it('does not search through a symbolic link that leads out of the root', async () => {
    await mkdir(path.join(base, 'outside'));
    await writeFile(path.join(base, 'outside', 'secret.txt'), 'needle outside\n');
    await symlink(path.join(base, 'outside', 'secret.txt'), path.join(root, 'leak.txt'));
    const outcome = await tools.execute('search_files', { pattern: 'needle outside' });
    expect(outcome.content).toMatch(/^no matches/);
  });
});

describe('write_file', () => {
  it('creates folders and reports the new file as a diff', async () => {
    const outcome = await tools.execute('write_file', { path: 'docs/new/guide.md', content: '# Guide\n' });
    expect(outcome.isError).toBe(false);
    expect(outcome.summary).toBe('created docs/new/guide.md (+1 −0 lines)');
    expect(outcome.diff).toContain('--- /dev/null\n+++ b/docs/new/guide.md');
    expect(await readFile(path.join(root, 'docs', 'new', 'guide.md'), 'utf8')).toBe('# Guide\n');
  });

  it('refuses to write into .git or .coordinate', async () => {
    for (const target of ['.git/hooks/pre-commit', '.coordinate/config.json']) {
      const outcome = await tools.execute('write_file', { path: target, content: 'x' });
      expect(outcome.isError).toBe(true);
      expect(outcome.content).toMatch(/^denied: .*\.git or \.coordinate/);
    }
    await expect(readFile(path.join(root, '.git', 'hooks', 'pre-commit'))).rejects.toThrow();
  });
});

describe('edit_file', () => {
  it('replaces a unique string and reports a unified diff', async () => {
    const outcome = await tools.execute('edit_file', { path: 'src/a.ts', old_string: 'const b = 2', new_string: 'const b = 3' });
    expect(outcome.isError).toBe(false);
    expect(outcome.diff).toContain('-export const b = 2;\n+export const b = 3;');
    expect(await readFile(path.join(root, 'src', 'a.ts'), 'utf8')).toBe('export const a = 1;\nexport const b = 3;\nexport const a2 = 1;\n');
  });

  it('fails clearly when old_string is missing', async () => {
    const outcome = await tools.execute('edit_file', { path: 'src/a.ts', old_string: 'const z', new_string: 'x' });
    expect(outcome.isError).toBe(true);
    expect(outcome.content).toMatch(/old_string was not found in src\/a.ts/);
  });

  it('fails clearly when old_string is not unique, and replaces all when asked', async () => {
    const outcome = await tools.execute('edit_file', { path: 'src/a.ts', old_string: '= 1;', new_string: '= 10;' });
    expect(outcome.isError).toBe(true);
    expect(outcome.content).toBe('old_string was found 2 times in src/a.ts — add context or set replace_all');
    expect(await readFile(path.join(root, 'src', 'a.ts'), 'utf8')).toContain('a = 1;');
    const all = await tools.execute('edit_file', { path: 'src/a.ts', old_string: '= 1;', new_string: '= $&10;', replace_all: true });
    expect(all.isError).toBe(false);
    expect(await readFile(path.join(root, 'src', 'a.ts'), 'utf8')).toBe('export const a = $&10;\nexport const b = 2;\nexport const a2 = $&10;\n');
  });

  it('tells the model to use write_file for a file that does not exist', async () => {
    expect((await tools.execute('edit_file', { path: 'src/new.ts', old_string: 'a', new_string: 'b' })).content).toMatch(/use write_file to create it/);
  });

  it('edits files with Windows line ends from text written with \\n', async () => {
    await writeFile(path.join(root, 'win.txt'), 'one\r\ntwo\r\nthree\r\n');
    const outcome = await tools.execute('edit_file', { path: 'win.txt', old_string: 'one\ntwo', new_string: 'one\n2' });
    expect(outcome.isError).toBe(false);
    expect(await readFile(path.join(root, 'win.txt'), 'utf8')).toBe('one\r\n2\r\nthree\r\n');
  });

  it('refuses to edit through a symbolic link that leads out of the root', async () => {
    await mkdir(path.join(base, 'outside'));
    await writeFile(path.join(base, 'outside', 'target.txt'), 'original\n');
    await symlink(path.join(base, 'outside', 'target.txt'), path.join(root, 'link.txt'));
    const outcome = await tools.execute('edit_file', { path: 'link.txt', old_string: 'original', new_string: 'changed' });
    expect(outcome.content).toMatch(/^denied: "link.txt" leads outside the task root through a symbolic link/);
    expect(await readFile(path.join(base, 'outside', 'target.txt'), 'utf8')).toBe('original\n');
  });
});
