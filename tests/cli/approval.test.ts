import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanup, cliEnv, sampleRepo, scriptedServer, tempDir, waitFor } from './helpers.js';
import { revisableScenario } from './scenarios.js';

let stopPty: (() => void) | undefined;
afterEach(async () => {
  stopPty?.();
  stopPty = undefined;
  await cleanup();
});

/** The approval question, asked again after each step that does not end it. */
const PROMPT = 'Run this plan?';

/** An editor that breaks the plan on its first opening and repairs it with a valid change on its second. */
const EDITOR_SCRIPT = `
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
const file = process.argv[2];
const counter = new URL('./opened', import.meta.url);
const opened = existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0;
writeFileSync(counter, String(opened + 1));
const text = readFileSync(file, 'utf8');
// the second opening shows the person's own broken text again: fix it and retitle the task
writeFileSync(file, opened === 0 ? text.replace('- Role: implement', '- Role: builder') : text.replace('- Role: builder', '- Role: implement').replace('Fix add in src/math.js', 'Make add return the sum'));
`;

describe('approval in a terminal', () => {
  it('takes single keys (no Enter): edits the plan in $EDITOR (a broken edit is shown with its line and reopened), shows a revision as a diff, and exits 3 on quit', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer(revisableScenario());
    const tools = await tempDir();
    const editor = join(tools, 'edit.mjs');
    await writeFile(editor, EDITOR_SCRIPT);
    const command = `${process.execPath} ${BIN} 'Make the failing test pass'`;
    // `script` gives the CLI a real terminal (a pty) for stdin and stdout
    const child = execa('script', ['-qefc', command, '/dev/null'], {
      cwd: repo,
      env: cliEnv(server, { EDITOR: `${process.execPath} ${editor}`, TERM: 'dumb' }),
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    stopPty = () => child.kill('SIGKILL');
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    // keys go in as typed, without Enter; only the feedback line ends with one (a pty sends \r)
    const press = async (keys: string, ready: () => boolean, what: string) => {
      await waitFor(ready, what, 30_000);
      child.stdin.write(keys);
    };
    const askedAfter = (text: string) => output.includes(text) && output.lastIndexOf(PROMPT) > output.lastIndexOf(text);

    await press('e', () => output.includes(PROMPT), 'the first approval prompt');
    await press('y', () => output.includes('Reopen the editor'), 'the broken edit to be reported');
    await press('r', () => askedAfter('+## fix-add: Make add return the sum'), 'the prompt after the fixed edit');
    await press('Add a note task\r', () => output.includes('What should change?'), 'the feedback question');
    await press('q', () => askedAfter('+## note-fix: Note the fix in the README'), 'the prompt after the revision');
    const result = await child;

    expect(result.exitCode).toBe(3);
    expect(output).toMatch(/line \d+: .*builder/);
    expect(output).toContain('+## fix-add: Make add return the sum');
    expect(output).toContain('-## fix-add: Fix add in src/math.js');
    expect(output).toContain('+## note-fix: Note the fix in the README');
    expect(output).toContain('the plan was not approved; nothing ran');
    expect(server.requests.filter((r) => r.route === 'task')).toHaveLength(0);
  }, 120_000);

  it('asks when stdin is a terminal even with stdout piped (`| cat`), shows the config in force and the full plan text on a key, and on quit says where the plan is kept', async () => {
    const repo = await sampleRepo({ fixRounds: 1 });
    const server = await scriptedServer(revisableScenario());
    // stdin stays the pty; stdout goes through a pipe, as with `| tee log`
    const command = `bash -o pipefail -c "${process.execPath} ${BIN} 'Make the failing test pass' | cat"`;
    const child = execa('script', ['-qefc', command, '/dev/null'], { cwd: repo, env: cliEnv(server, { TERM: 'dumb' }), extendEnv: false, reject: false, timeout: 60_000 });
    stopPty = () => child.kill('SIGKILL');
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    await waitFor(() => output.includes(PROMPT), 'the approval prompt', 30_000);
    // the repository's own config, and whether it may widen the person's settings, before the question
    expect(output).toMatch(/Repository config \S+config\.json \(sha256 [0-9a-f]{12}…\), not trusted: it can only narrow your settings\./);
    child.stdin.write('f');
    await waitFor(() => output.includes('- Role: implement'), 'the full plan text', 30_000);
    child.stdin.write('q');
    const result = await child;
    expect(result.exitCode).toBe(3);
    const planFile = join(repo, '.coordinate', 'runs');
    expect(output).toMatch(new RegExp(`the plan is kept in ${planFile}/\\S+/plan\\.md; run it as it is with: coordinate run`));
    expect(output).not.toContain('no terminal to ask in');
    expect(server.requests.filter((r) => r.route === 'task')).toHaveLength(0);
  }, 120_000);
});
