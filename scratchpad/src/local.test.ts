import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScratchpadError } from './errors.js';
import { MAX_CONTENT_BYTES } from './limits.js';
import { LocalScratchpad } from './local.js';
import { taskScratchpad } from './task-view.js';

let base: string;
let dir: string;
let pad: LocalScratchpad;

beforeEach(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'coordinate-scratchpad-'));
  dir = path.join(base, 'scratchpad');
  await fs.mkdir(dir);
  pad = new LocalScratchpad(dir);
});
afterEach(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ScratchpadError);
  return (error as ScratchpadError).code;
}

async function allFiles(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)));
}

describe('LocalScratchpad', () => {
  it('writes under the task folder and reads back the complete content, leaving no temp files', async () => {
    const big = 'x'.repeat(1024 * 1024) + 'end';
    await pad.write('t1', 'notes/findings.md', big);
    await pad.write('t1', 'notes/findings.md', big + '!');
    expect(await pad.read('t1/notes/findings.md')).toBe(big + '!');
    expect(await fs.readFile(path.join(dir, 't1', 'notes', 'findings.md'), 'utf8')).toBe(big + '!');
    expect(await allFiles(dir)).toEqual([path.join('t1', 'notes', 'findings.md')]);
  });

  it('never lets a concurrent reader see half a file', async () => {
    const versions = ['a'.repeat(300_000), 'b'.repeat(300_000), 'c'.repeat(300_000)];
    await pad.write('t1', 'out.txt', versions[0]!);
    const writes = Promise.all(versions.map((content) => pad.write('t1', 'out.txt', content)));
    const reads = Promise.all(Array.from({ length: 20 }, () => pad.read('t1/out.txt')));
    const [, seen] = await Promise.all([writes, reads]);
    for (const content of seen) expect(versions).toContain(content);
    expect(await pad.list()).toEqual(['t1/out.txt']);
  });

  it('lists files sorted, with POSIX names relative to the root, below a folder when asked', async () => {
    await pad.write('t2', 'b.md', 'b');
    await pad.write('t1', 'z/deep.md', 'z');
    await pad.write('t1', 'a.md', 'a');
    expect(await pad.list()).toEqual(['t1/a.md', 't1/z/deep.md', 't2/b.md']);
    expect(await pad.list('t1')).toEqual(['t1/a.md', 't1/z/deep.md']);
    expect(await pad.list('t1/z/')).toEqual(['t1/z/deep.md']);
    expect(await pad.list('nobody')).toEqual([]);
  });

  it('returns undefined for a missing file and for a folder', async () => {
    await pad.write('t1', 'a.md', 'a');
    expect(await pad.read('t1/missing.md')).toBeUndefined();
    expect(await pad.read('t1')).toBeUndefined();
    expect(await pad.read('t1/a.md/inside')).toBeUndefined();
  });

  it.each([
    ['an empty name', ''],
    ['an absolute path', '/etc/passwd'],
    ['a ".." segment', 't1/../../escape'],
    ['a backslash', 't1\\notes.md'],
    ['a NUL byte', 't1/no\0tes.md'],
    ['a name over 500 characters', `t1/${'n'.repeat(500)}`],
    ['an empty segment', 't1//notes.md'],
  ])('refuses %s with invalid_name', async (_label, name) => {
    expect(await codeOf(pad.read(name))).toBe('invalid_name');
    expect(await codeOf(pad.write('t1', name, 'x'))).toBe('invalid_name');
  });

  it('refuses an invalid task id and a file that is over the size limit', async () => {
    expect(await codeOf(pad.write('../t1', 'a.md', 'x'))).toBe('invalid_name');
    expect(await codeOf(pad.write('t1', 'big.md', 'x'.repeat(MAX_CONTENT_BYTES + 1)))).toBe('too_large');
    expect(await pad.list()).toEqual([]);
  });

  it('refuses to read or write through a symlink that points outside the scratchpad', async () => {
    const outside = path.join(base, 'outside');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'secret.txt'), 'do not read');
    await fs.mkdir(path.join(dir, 't1'));
    await fs.symlink(outside, path.join(dir, 't1', 'link'));
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(dir, 't1', 'file-link'));
    await fs.symlink(outside, path.join(dir, 't3'));

    expect(await codeOf(pad.read('t1/link/secret.txt'))).toBe('outside');
    expect(await codeOf(pad.read('t1/file-link'))).toBe('outside');
    expect(await codeOf(pad.write('t1', 'link/new.txt', 'x'))).toBe('outside');
    expect(await codeOf(pad.write('t3', 'new.txt', 'x'))).toBe('outside');
    expect(await codeOf(pad.list('t3'))).toBe('outside');
    expect(await fs.readdir(outside)).toEqual(['secret.txt']);
    expect(await pad.list()).toEqual([]);
  });

  it('reports a scratchpad directory that does not exist with not_found', async () => {
    const missing = new LocalScratchpad(path.join(base, 'nope'));
    expect(await codeOf(missing.list())).toBe('not_found');
    expect(await codeOf(missing.write('t1', 'a.md', 'x'))).toBe('not_found');
  });

  it('gives a task a view that writes only in its own folder', async () => {
    const view = taskScratchpad(pad, 'research-1');
    await view.write('summary.md', 'found it');
    await pad.write('other', 'note.md', 'hi');
    expect(await view.read('research-1/summary.md')).toBe('found it');
    expect(await view.read('other/note.md')).toBe('hi');
    expect(await view.list()).toEqual(['other/note.md', 'research-1/summary.md']);
  });
});
