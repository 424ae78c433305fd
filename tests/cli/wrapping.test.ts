import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { execa } from 'execa';
import { afterEach, expect, it } from 'vitest';
import { BIN, cleanup, cliEnv, sampleRepo } from './helpers.js';

let stopPty: (() => void) | undefined;
afterEach(async () => {
  stopPty?.();
  stopPty = undefined;
  await cleanup();
});

/** The output of `coordinate …args` in a terminal (a pty from `script`) of `columns` columns. */
async function inTerminal(args: string[], cwd: string, columns: number): Promise<string> {
  const command = `stty cols ${columns} rows 40; ${process.execPath} ${BIN} ${args.map((a) => `'${a}'`).join(' ')}`;
  const child = execa('script', ['-qefc', command, '/dev/null'], { cwd, env: cliEnv(undefined, { TERM: 'dumb' }), extendEnv: false, reject: false, timeout: 60_000, stdin: 'ignore' });
  stopPty = () => child.kill('SIGKILL');
  const result = await child;
  return stripVTControlCharacters(String(result.stdout)).replace(/\r/g, '');
}

const GOAL =
  'Make the failing test pass by fixing the add helper in src/math.js, then document the behaviour of every exported helper in the README with examples that readers can copy and run as they are';

it.each([60, 160])('wraps paragraphs at word boundaries to a %i-column terminal, in reports and in error messages', async (columns) => {
  const repo = await sampleRepo();
  const dir = join(repo, '.coordinate', 'runs', '20260101-100000-aaaa');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'plan.json'), JSON.stringify({ goal: GOAL, summary: '', tasks: [{ id: 't', title: 'T', role: 'research', instructions: 'look', dependsOn: [] }] }));

  const show = await inTerminal(['show', '20260101'], repo, columns);
  const typo = await inTerminal(['resum'], repo, columns);
  for (const output of [show, typo]) {
    // a line may pass the width only when it is one word too long to break (a long path)
    for (const line of output.split('\n')) if ([...line].length > columns) expect(line.trim()).not.toContain(' ');
  }
  // every word of the goal is on one line, none cut in two
  const words = show.split(/\s+/);
  for (const word of GOAL.split(' ')) expect(words).toContain(word);
  expect(typo.replace(/\s+/g, ' ')).toContain('did you mean `coordinate resume`?');
});
