import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { cleanup, cliEnv, coordinate, sampleRepo, tempDir } from './helpers.js';

afterEach(cleanup);

/** A memory export of `count` live entries that all hold the words "build", "cache" and "test". */
function commonWordsExport(count: number) {
  const at = Date.parse('2026-01-01T00:00:00Z');
  const entries = Array.from({ length: count }, (_, i) => {
    const text = i === count - 1 ? 'Clear the build cache before the test suites run' : `Module m${i} keeps its build cache apart; its test t${i} is slow`;
    return {
      id: `m-${String(i).padStart(12, '0')}`,
      kind: 'fact',
      title: text,
      body: text,
      tags: [],
      scope: 'repo',
      anchors: [],
      status: 'active',
      validFrom: at + i,
      supersedes: [],
      uses: 0,
      successes: 0,
      failures: 0,
      needsRevalidation: false,
      version: 1,
      createdAt: at + i,
      updatedAt: at + i,
    };
  });
  return { format: 'coordinate-memory', version: 1, exportedAt: at, entries, history: [] };
}

it('memory takes --cwd like every other command, and a multi-word search finds the entries holding every word', async () => {
  const repo = await sampleRepo();
  const elsewhere = await tempDir();
  const env = cliEnv();
  const file = join(elsewhere, 'memory.json');
  await writeFile(file, JSON.stringify(commonWordsExport(80)));
  const imported = await coordinate(['memory', 'import', file, '--yes', '--cwd', repo], { cwd: elsewhere, env });
  expect(imported.stderr).toBe('');
  expect(imported.stdout).toContain('imported 80 new');
  // every entry holds all three words, so none is rare enough to rank by alone
  const search = await coordinate(['memory', 'search', 'build', 'cache', 'test', '--cwd', repo], { cwd: elsewhere, env });
  expect(search.stdout).toContain('Clear the build cache before the test suites run');
  expect(search.stdout.trim().split('\n').length).toBeGreaterThan(1);
});

it('show takes a unique start of a run id; an ambiguous one names the runs', async () => {
  const repo = await sampleRepo();
  const env = cliEnv();
  for (const id of ['20260101-100000-aaaa', '20260101-100000-bbbb', '20260102-090000-cccc']) {
    await writeFile(join(await mkRunDir(repo, id), 'plan.json'), JSON.stringify({ goal: `goal of ${id}`, summary: '', tasks: [{ id: 't', title: 'T', role: 'research', instructions: 'look', dependsOn: [] }] }));
  }
  const unique = await coordinate(['show', '20260102'], { cwd: repo, env });
  expect(unique.exitCode).toBe(0);
  expect(unique.stdout).toContain('Run 20260102-090000-cccc: planned');
  const ambiguous = await coordinate(['show', '20260101-1000'], { cwd: repo, env });
  expect(ambiguous.exitCode).toBe(2);
  expect(ambiguous.stderr).toContain('"20260101-1000" names more than one run: 20260101-100000-aaaa, 20260101-100000-bbbb');
});

it('a report.json another version wrote does not hide its run: runs lists it and show says why it tells the plan instead', async () => {
  const repo = await sampleRepo();
  const env = cliEnv();
  const dir = await mkRunDir(repo, '20260103-090000-dddd');
  await writeFile(join(dir, 'plan.json'), JSON.stringify({ goal: 'an older run', summary: '', tasks: [{ id: 't', title: 'T', role: 'research', instructions: 'look', dependsOn: [] }] }));
  // an older report: no `sandboxed`, fields since renamed
  await writeFile(join(dir, 'report.json'), JSON.stringify({ version: 1, runId: '20260103-090000-dddd', outcome: 'succeeded', tasks: [] }));
  const runs = await coordinate(['runs'], { cwd: repo, env });
  expect(runs.exitCode).toBe(0);
  expect(runs.stdout).toContain('20260103-090000-dddd');
  const show = await coordinate(['show', '20260103-090000-dddd'], { cwd: repo, env });
  expect(show.exitCode).toBe(0);
  expect(show.stdout).toContain('was written by another version of coordinate or is damaged');
  expect(show.stdout).toContain('an older run');
});

it('--help lists only what a command honours: --yes where a plan is approved, no workers or run timeout for `plan`', async () => {
  const cwd = await tempDir();
  const env = cliEnv();
  const [task, resume, run, plan] = await Promise.all([['--help'], ['resume', '--help'], ['run', '--help'], ['plan', '--help']].map((args) => coordinate(args, { cwd, env })));
  expect(task!.stdout).toContain('--yes');
  expect(task!.stdout).toContain('--task');
  expect(resume!.stdout).not.toContain('--yes');
  expect(run!.stdout).not.toContain('--yes');
  // `plan` only drafts: it starts no worker and runs nothing a timeout could stop
  for (const option of ['--model', '--max-cost', '--max-tokens', '--trust-repo-config', '--cwd', '--output']) expect(plan!.stdout).toContain(option);
  for (const option of ['--workers', '--timeout', '--yes']) expect(plan!.stdout).not.toContain(option);
  const workers = await coordinate(['plan', 'Make the failing test pass', '--workers', '2'], { cwd, env });
  expect(workers.exitCode).toBe(2);
  expect(workers.stderr).toContain("unknown option '--workers'");
});

it('says what dream changed in words that read: "Dream changed no entries." and "Dream would change no entries."', async () => {
  const repo = await sampleRepo();
  const env = cliEnv();
  const added = await coordinate(['memory', 'add', 'The tests run with node --test.', '--kind', 'fact'], { cwd: repo, env });
  expect(added.exitCode, added.stderr).toBe(0);
  const dry = await coordinate(['memory', 'dream', '--dry-run'], { cwd: repo, env });
  expect(dry.stdout).toContain('Dream would change no entries.');
  const dreamt = await coordinate(['memory', 'dream'], { cwd: repo, env });
  expect(dreamt.exitCode, dreamt.stderr).toBe(0);
  expect(dreamt.stdout).toContain('Dream changed no entries.');
  for (const output of [dry.stdout, dreamt.stdout]) expect(output).not.toMatch(/did change|would made/);
});

async function mkRunDir(repo: string, id: string): Promise<string> {
  const dir = join(repo, '.coordinate', 'runs', id);
  await mkdir(dir, { recursive: true });
  return dir;
}
