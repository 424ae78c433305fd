import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createToolset, type Toolset } from './toolset.js';

let root: string;
let tools: Toolset;
const file = (name: string) => path.join(root, name);

beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'keep-work-')));
  tools = createToolset({ role: 'implement', root });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('tool calls on one file', () => {
  it('keeps every one of four edits made at once to different lines of one file', async () => {
    await writeFile(file('lines.txt'), 'one\ntwo\nthree\nfour\n');
    const outcomes = await Promise.all(
      ['one', 'two', 'three', 'four'].map((word) => tools.execute('edit_file', { path: 'lines.txt', old_string: word, new_string: word.toUpperCase() })),
    );
    expect(outcomes.every((outcome) => !outcome.isError)).toBe(true);
    expect(await readFile(file('lines.txt'), 'utf8')).toBe('ONE\nTWO\nTHREE\nFOUR\n');
  });
});

describe('read before overwrite', () => {
  it('refuses to replace an existing file the task has not read, and replaces it once read', async () => {
    await writeFile(file('format.js'), 'export const formatMoney = () => 1;\n');
    const blind = await tools.execute('write_file', { path: 'format.js', content: 'export const formatDate = () => 2;\n' });
    expect(blind.isError).toBe(true);
    expect(blind.content).toMatch(/format\.js" already exists and this task has not read it; read it with read_file first/);
    expect(await readFile(file('format.js'), 'utf8')).toBe('export const formatMoney = () => 1;\n');

    await tools.execute('read_file', { path: 'format.js' });
    const informed = await tools.execute('write_file', { path: 'format.js', content: 'export const formatMoney = () => 1;\nexport const formatDate = () => 2;\n' });
    expect(informed.isError, informed.content).toBe(false);
  });

  it('refuses write_file and edit_file on a file that changed since the task read it', async () => {
    await writeFile(file('a.txt'), 'first\n');
    await tools.execute('read_file', { path: 'a.txt' });
    await writeFile(file('a.txt'), 'first\nadded by someone else\n');
    for (const outcome of [
      await tools.execute('write_file', { path: 'a.txt', content: 'mine\n' }),
      await tools.execute('edit_file', { path: 'a.txt', old_string: 'first', new_string: 'mine' }),
    ]) {
      expect(outcome.isError).toBe(true);
      expect(outcome.content).toMatch(/"a\.txt" changed since this task last read it; read it again/);
    }
    expect(await readFile(file('a.txt'), 'utf8')).toBe('first\nadded by someone else\n');
  });

  it('writes a new file, and writes again over what it wrote itself, without a read', async () => {
    expect((await tools.execute('write_file', { path: 'new.txt', content: 'a\n' })).isError).toBe(false);
    expect((await tools.execute('write_file', { path: 'new.txt', content: 'b\n' })).isError).toBe(false);
    expect(await readFile(file('new.txt'), 'utf8')).toBe('b\n');
  });
});

describe('bytes are kept', () => {
  it('keeps Windows-1252 bytes on other lines byte for byte and writes the edit in Windows-1252', async () => {
    const line1 = Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0xfc, 0xa9, 0x99, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]);
    await writeFile(file('legacy.js'), Buffer.concat([line1, Buffer.from('const price = 1;\nconst name = "x";\n')]));
    const read = await tools.execute('read_file', { path: 'legacy.js' });
    expect(read.content).toContain('windows-1252');
    expect(read.content).toContain('// éü©™ café');

    const outcome = await tools.execute('edit_file', { path: 'legacy.js', old_string: 'const price = 1;', new_string: 'const price = "2 €";' });
    expect(outcome.content).toMatch(/\(\+1 −1 lines\)/);
    const after = await readFile(file('legacy.js'));
    expect(after.subarray(0, line1.length)).toEqual(line1);
    expect(after.subarray(line1.length).toString('latin1')).toBe('const price = "2 \x80";\nconst name = "x";\n');
  });

  it('finds and shows Windows-1252 text with search_files as read_file decodes it', async () => {
    await writeFile(file('legacy.js'), Buffer.concat([Buffer.from([0x2f, 0x2f, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x20, 0x99, 0x0a]), Buffer.from('const price = 1;\n')]));
    const outcome = await tools.execute('search_files', { pattern: 'café ™' });
    expect(outcome.isError, outcome.content).toBe(false);
    expect(outcome.content).toBe('legacy.js:1: // café ™');
  });

  it('refuses a character the file’s encoding cannot hold, leaving the file as it was', async () => {
    const bytes = Buffer.from([0xe9, 0x0a, 0x61, 0x0a]);
    await writeFile(file('latin.txt'), bytes);
    const outcome = await tools.execute('edit_file', { path: 'latin.txt', old_string: 'a', new_string: '漢' });
    expect(outcome.isError).toBe(true);
    expect(outcome.content).toMatch(/cannot hold "漢" \(U\+6F22\)/);
    expect(await readFile(file('latin.txt'))).toEqual(bytes);
  });

  it('keeps the BOM and CRLF line ends of a file through edit_file and write_file', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    await writeFile(file('win.cs'), Buffer.concat([bom, Buffer.from('class A {\r\n  int x = 1;\r\n}\r\n')]));
    const edit = await tools.execute('edit_file', { path: 'win.cs', old_string: '  int x = 1;', new_string: '  int x = 2;\n  int y = 3;' });
    expect(edit.isError, edit.content).toBe(false);
    expect(await readFile(file('win.cs'))).toEqual(Buffer.concat([bom, Buffer.from('class A {\r\n  int x = 2;\r\n  int y = 3;\r\n}\r\n')]));

    const write = await tools.execute('write_file', { path: 'win.cs', content: 'class B {\n}\n' });
    expect(write.isError, write.content).toBe(false);
    expect(await readFile(file('win.cs'))).toEqual(Buffer.concat([bom, Buffer.from('class B {\r\n}\r\n')]));
  });

  it('keeps each line end of a file with mixed line ends', async () => {
    await writeFile(file('mixed.txt'), 'a\r\nb\nc\r\nd\n');
    const outcome = await tools.execute('edit_file', { path: 'mixed.txt', old_string: 'b\nc', new_string: 'B\nC' });
    expect(outcome.isError, outcome.content).toBe(false);
    expect(await readFile(file('mixed.txt'), 'utf8')).toBe('a\r\nB\nC\r\nd\n');
  });

  it('refuses to overwrite or edit a binary file', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]);
    await writeFile(file('logo.png'), png);
    const write = await tools.execute('write_file', { path: 'logo.png', content: 'text' });
    const edit = await tools.execute('edit_file', { path: 'logo.png', old_string: 'PNG', new_string: 'JPG' });
    for (const outcome of [write, edit]) expect(outcome.content).toMatch(/"logo\.png" is a binary file .*only text files/);
    expect(await readFile(file('logo.png'))).toEqual(png);
  });
});
