import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemoryKind, MemorySnippet, TaskMemory, TaskScratchpad, ToolPolicy } from '@coordinate/protocol';
import { safeCommandEnv } from './command-env.js';
import { ToolsetUsageError } from './errors.js';
import { createToolset, type ToolsetOptions } from './toolset.js';

let base: string;
let root: string;
let denials: { tool: string; reason: string }[];

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'toolset-')));
  root = path.join(base, 'repo');
  await mkdir(path.join(root, 'src', 'generated'), { recursive: true });
  await writeFile(path.join(root, 'src', 'generated', 'api.ts'), 'export const version = 1;\n');
  denials = [];
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const toolset = (options: Partial<ToolsetOptions> & Pick<ToolsetOptions, 'role'>) =>
  createToolset({ root, onDenied: (tool, reason) => denials.push({ tool, reason }), ...options });

describe('permissions', () => {
  it('denies write_file to research with a result the model can read, and reports the denial', async () => {
    const outcome = await toolset({ role: 'research' }).execute('write_file', { path: 'notes.md', content: 'x' });
    expect(outcome).toMatchObject({ isError: true, denied: true });
    expect(outcome.content).toMatch(/^denied: the research role may not use write_file \(edit tier\)/);
    expect(denials).toEqual([{ tool: 'write_file', reason: expect.stringMatching(/research role may not use write_file/) }]);
    await expect(readFile(path.join(root, 'notes.md'))).rejects.toThrow();
  });

  it('denies implement a command off the allowlist without running it', async () => {
    const marker = path.join(base, 'ran');
    const outcome = await toolset({ role: 'implement' }).execute('run_command', { command: `touch ${marker}` });
    expect(outcome.content).toMatch(/^denied: "touch .*" is not on this role's command allowlist/);
    expect(denials.map((d) => d.tool)).toEqual(['run_command']);
    await expect(readFile(marker)).rejects.toThrow();
  });

  it('blocks an edit that a directive forbids, quoting the directive, also through a symbolic link', async () => {
    const policy: ToolPolicy = { directives: [{ id: 'mem-3', text: 'Never edit src/generated/ by hand; run npm run codegen.', paths: ['src/generated/**'] }] };
    const tools = toolset({ role: 'implement', policy });
    const direct = await tools.execute('edit_file', { path: 'src/generated/api.ts', old_string: '1', new_string: '2' });
    expect(direct.content).toBe('denied: editing "src/generated/api.ts" breaks directive mem-3: Never edit src/generated/ by hand; run npm run codegen.');
    await symlink(path.join(root, 'src', 'generated'), path.join(root, 'gen'));
    const aliased = await tools.execute('write_file', { path: 'gen/api.ts', content: 'x' });
    expect(aliased.content).toMatch(/breaks directive mem-3/);
    expect(denials).toHaveLength(2);
    expect(await readFile(path.join(root, 'src', 'generated', 'api.ts'), 'utf8')).toBe('export const version = 1;\n');
  });

  it('reports a path outside the root as a denial', async () => {
    const outcome = await toolset({ role: 'research' }).execute('read_file', { path: '../../etc/passwd' });
    expect(outcome.content).toMatch(/^denied: "..\/..\/etc\/passwd" leads outside the task root/);
    expect(denials).toHaveLength(1);
  });
});

describe('input validation', () => {
  it('names the field that is wrong', async () => {
    const tools = toolset({ role: 'implement' });
    const outcome = await tools.execute('edit_file', { path: 'a.ts', old_string: 5, new_string: 'x' });
    expect(outcome.isError).toBe(true);
    expect(outcome.content).toBe('invalid input for edit_file: `old_string`: must be text, not a number (5)');
    expect((await tools.execute('read_file', { path: 'a', offset: 0 })).content).toMatch(/`offset`: must be at least 1; got 0$/);
    expect((await tools.execute('read_file', 'src/a.ts')).content).toBe('invalid input for read_file: must be an object, not text ("src/a.ts")');
  });

  it('answers an unknown tool with the list of tools', async () => {
    const outcome = await toolset({ role: 'research' }).execute('shell', {});
    expect(outcome.isError).toBe(true);
    expect(outcome.content).toMatch(/no tool named "shell".*read_file, list_files/);
  });

  it('leaves complete_task to the agent loop', async () => {
    await expect(toolset({ role: 'verify' }).execute('complete_task', { status: 'succeeded', summary: 'ok' })).rejects.toThrow(ToolsetUsageError);
  });
});

describe('run_command', () => {
  it('gives the exit code of every command run with the result the model is shown, failures included', async () => {
    const tools = toolset({ role: 'verify' });
    const passed = await tools.execute('run_command', { command: 'echo all good' });
    const failed = await tools.execute('run_command', { command: 'echo broken >&2; exit 2' });
    expect(passed).toMatchObject({ isError: false, exitCode: 0, content: 'exit code 0\nall good\n' });
    expect(failed).toMatchObject({ isError: true, exitCode: 2, content: 'exit code 2\nbroken\n' });
  });

  it('runs in the task root with no credential in its environment', async () => {
    const env = safeCommandEnv({ PATH: process.env.PATH, ANTHROPIC_API_KEY: 'canary-key-0001' }, { COORDINATE_TOKEN: 'canary-token-0002' });
    const tools = toolset({ role: 'verify', env: { ...env, OPENAI_API_KEY: 'canary-key-0003' } });
    const outcome = await tools.execute('run_command', { command: 'pwd; env' });
    expect(outcome.content).toContain(`${root}\n`);
    expect(outcome.content).not.toContain('canary');
  });

  it('honours timeout_ms and says the command timed out', async () => {
    const outcome = await toolset({ role: 'verify' }).execute('run_command', { command: 'sleep 30', timeout_ms: 1000 });
    expect(outcome.isError).toBe(true);
    expect(outcome.content).toMatch(/^exit code 137 \(timed out\)/);
  });
});

describe('scratchpad and memory', () => {
  function folderScratchpad(dir: string): TaskScratchpad {
    return {
      read: (name) => readFile(path.join(dir, name), 'utf8').catch(() => undefined),
      list: async (prefix) => {
        const { glob } = await import('tinyglobby');
        return (await glob('**/*', { cwd: prefix ? path.join(dir, prefix) : dir })).map((f) => (prefix ? `${prefix}/${f}` : f)).sort();
      },
      write: async (name, content) => {
        await mkdir(path.dirname(path.join(dir, 'task-1', name)), { recursive: true });
        await writeFile(path.join(dir, 'task-1', name), content);
      },
    };
  }

  it('writes a note and reads it back, and lists a folder', async () => {
    const tools = toolset({ role: 'research', scratchpad: folderScratchpad(path.join(base, 'pad')) });
    expect((await tools.execute('scratchpad_write', { name: 'notes.md', content: 'found it' })).isError).toBe(false);
    expect((await tools.execute('scratchpad_read', { name: 'task-1/notes.md' })).content).toBe('found it');
    expect((await tools.execute('scratchpad_read', { name: 'task-1/' })).content).toBe('"task-1/" holds:\ntask-1/notes.md');
    expect((await tools.execute('scratchpad_read', { name: 'task-2/none.md' })).content).toMatch(/holds no notes/);
  });

  it('searches and proposes team memory through the injected store', async () => {
    const proposals: { kind: MemoryKind; text: string }[] = [];
    const memory: TaskMemory = {
      search: async (query): Promise<MemorySnippet[]> =>
        query.includes('test') ? [{ id: 'm1', kind: 'procedure', summary: 'Run npm test -- --run', needsRevalidation: true }] : [],
      propose: async (proposal) => {
        proposals.push(proposal);
        return { id: 'm2', action: 'admitted' };
      },
    };
    const tools = toolset({ role: 'implement', memory });
    expect((await tools.execute('memory_search', { query: 'how to test' })).content).toBe(
      '[m1] (procedure) (may be out of date: check before relying on it) Run npm test -- --run',
    );
    expect((await tools.execute('memory_search', { query: 'deploy' })).content).toMatch(/nothing about "deploy"/);
    expect((await tools.execute('memory_propose', { kind: 'pitfall', text: 'The build needs Node 20.' })).content).toBe(
      'team memory admitted the proposal as m2',
    );
    expect(proposals).toEqual([{ kind: 'pitfall', text: 'The build needs Node 20.' }]);
  });

  it('says so when a run has no scratchpad', async () => {
    const outcome = await toolset({ role: 'research' }).execute('scratchpad_read', { name: 'x' });
    expect(outcome).toMatchObject({ isError: true, content: 'the scratchpad is not available in this run' });
  });
});
