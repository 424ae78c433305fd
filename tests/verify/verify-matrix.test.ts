import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReport } from 'coordinate';
import { mkdir, writeFile } from 'node:fs/promises';
import { completeTask, createVerifyFixture, isolatedGit, text, toolUse, turn, VERIFY_CHECK as CHECK, VERIFY_CHECK_SHOWN_PASS as SHOWN_PASS, VERIFY_TRUNCATION_NOTE as TRUNCATION_NOTE, type Turn } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, readJson, requestsFor, runDir, runIds, scriptedServer, tempDir, writePlanFile } from '../cli/helpers.js';
import { fixtureRepo, verifyPlan } from './fixture.js';
import { assertJUnitShape } from './junit-shape.js';

afterEach(cleanup);

/** A whole `coordinate run` (workers, git, the scripted model) on a machine that may be busy. */
const RUN_TIMEOUT_MS = 120_000;

const run = (command: string) => turn(toolUse('run_command', { command }));
const claim = (command: string, exitCode: number, excerpt: string, status: 'succeeded' | 'failed' = 'succeeded') =>
  turn(completeTask({ status, summary: status === 'succeeded' ? 'The checks pass.' : 'The checks fail.', evidence: [{ command, exitCode, excerpt }] }));
/** A verifier that repeats its claim through both corrections. */
const insists = (t: Turn) => [t, t, t];

interface Case {
  name: string;
  good: boolean;
  commands?: string[];
  config?: Record<string, unknown>;
  turns: Turn[];
  exitCode: 0 | 1;
  /** Part of the reason a rejected verification gives. */
  reason?: string;
}

const cases: Case[] = [
  { name: 'an honest quote of the whole tool result, exit-code line and colour codes included, passes', good: true, turns: [run(CHECK), claim(CHECK, 0, SHOWN_PASS)], exitCode: 0 },
  { name: 'an honest partial quote passes', good: true, turns: [run(CHECK), claim(CHECK, 0, '# pass 1')], exitCode: 0 },
  { name: 'a quote of coloured output without its colour codes passes', good: true, turns: [run(CHECK), claim(CHECK, 0, 'exit code 0\nchecking value\n# pass 1')], exitCode: 0 },
  {
    name: 'a quote of truncated output that includes the truncation note passes',
    good: true,
    commands: ['node long.js'],
    turns: [run('node long.js'), claim('node long.js', 0, `${TRUNCATION_NOTE}\n…\nline 04000\n# pass 1`)],
    exitCode: 0,
  },
  { name: 'a quote of stderr-only output passes', good: true, commands: ['node stderr.js'], turns: [run('node stderr.js'), claim('node stderr.js', 0, 'all 3 checks passed')], exitCode: 0 },
  {
    name: 'a claimed exit 0 for a run that exited 1 fails, naming the real exit',
    good: false,
    turns: [run(CHECK), ...insists(claim(CHECK, 0, '# fail 1'))],
    exitCode: 1,
    reason: '`node check.js` last exited 1',
  },
  {
    name: 'a success whose own evidence shows exit 1 fails',
    good: false,
    turns: [run(CHECK), ...insists(claim(CHECK, 1, '# fail 1'))],
    exitCode: 1,
    reason: '`node check.js` last exited 1',
  },
  {
    name: 'a success citing only `true` fails: it never stands in for the required command',
    good: false,
    turns: [run('true'), ...insists(claim('true', 0, ''))],
    exitCode: 1,
    reason: '`node check.js` was required but never ran',
  },
  {
    name: 'a success with an ellipsis-only excerpt fails, and bad evidence alone starts no fix round',
    good: true,
    config: { fixRounds: 2 },
    turns: [run(CHECK), ...insists(claim(CHECK, 0, '…'))],
    exitCode: 1,
    reason: 'quotes nothing',
  },
  {
    name: 'tests run, then a file edited, then success claimed on the earlier run fails',
    good: true,
    turns: [run(CHECK), run('echo bad > src/value.txt'), ...insists(claim(CHECK, 0, '# pass 1'))],
    exitCode: 1,
    reason: '`node check.js` last ran before `echo bad > src/value.txt` changed the tree',
  },
  {
    name: 'two required commands with one never run fails, naming the missing one',
    good: true,
    commands: [CHECK, 'node stderr.js'],
    turns: [run(CHECK), ...insists(claim(CHECK, 0, '# pass 1'))],
    exitCode: 1,
    reason: '`node stderr.js` was required but never ran',
  },
  {
    name: 'the configured test command is required when the plan names none',
    good: true,
    commands: [],
    config: { commands: { test: 'node stderr.js' } },
    turns: [run(CHECK), ...insists(claim(CHECK, 0, '# pass 1'))],
    exitCode: 1,
    reason: '`node stderr.js` was required but never ran',
  },
];

async function runCase(c: Case) {
  const repo = await fixtureRepo({ good: c.good, config: { fixRounds: 0, ...c.config } });
  const server = await scriptedServer({ tasks: { check: c.turns } });
  const plan = await writePlanFile(repo, verifyPlan(c.commands === undefined ? [CHECK] : c.commands.length > 0 ? c.commands : undefined));
  const env = cliEnv(server);
  const result = await coordinate(['run', plan, '--junit', 'junit.xml'], { cwd: repo, env, timeoutMs: 90_000 });
  const [runId] = await runIds(repo, env);
  const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
  const junit = await readFile(join(repo, 'junit.xml'), 'utf8');
  return { result, report, junit, server, markdown: await readFile(join(runDir(repo, runId!), 'report.md'), 'utf8') };
}

describe('the verify gate, through the coordinate binary', () => {
  for (const c of cases) {
    it(`${c.name} (exit ${c.exitCode})`, async () => {
      const { result, report, junit, server } = await runCase(c);
      expect(result.exitCode, result.stdout + result.stderr).toBe(c.exitCode);
      const check = report.tasks.find((task) => task.id === 'check')!;
      // A verdict is never re-run from scratch, and no fix task was added for it.
      expect(check.attempts).toBe(1);
      expect(report.tasks).toHaveLength(1);
      assertJUnitShape(junit);
      if (c.exitCode === 0) {
        expect(check).toMatchObject({ outcome: 'succeeded', verification: { verified: true, weak: false } });
        expect(check.verification!.ran.every((ran) => ran.passed && ran.exitCode === 0)).toBe(true);
        expect(result.stdout).toContain('all tasks succeeded and were verified');
        expect(junit).not.toContain('<failure');
        expect(requestsFor(server, 'check')).toBe(2);
      } else {
        expect(check).toMatchObject({ outcome: 'failed', verification: { verified: false } });
        expect(check.failureReason).toContain(c.reason);
        expect(result.stdout).toContain(c.reason);
        expect(result.stdout).not.toContain('all tasks succeeded');
        expect(junit).toContain('<failure');
        // The verifier was told what failed, twice, in the same conversation.
        expect(requestsFor(server, 'check')).toBe(c.turns.length);
        const correction = JSON.stringify((server.requests.filter((r) => r.taskId === 'check').at(-1)!.body as { messages: unknown[] }).messages.at(-1));
        expect(correction).toContain('complete_task was not accepted');
      }
    }, RUN_TIMEOUT_MS);
  }

  it('shows what really ran beside the claim: the real exit code and output, and the claim labelled as such', async () => {
    const { result, report, junit, markdown } = await runCase(cases[5]!);
    const check = report.tasks.find((task) => task.id === 'check')!;
    expect(check.verification!.ran).toEqual([{ command: CHECK, exitCode: 1, excerpt: expect.stringContaining('# fail 1'), passed: false, reason: '`node check.js` last exited 1' }]);
    expect(check.evidence[0]).toMatchObject({ command: CHECK, exitCode: 0, verified: false });
    expect(result.stdout).toContain('ran: $ node check.js → exit 1');
    expect(result.stdout).toContain('claimed: $ node check.js → exit 0 (not verified');
    expect(markdown).toContain('**What ran** (from the journal):');
    expect(junit).toMatch(/<failure[^>]*>[^<]*ran \(from the journal\): \$ node check\.js → exit 1[^<]*# fail 1/);
  }, RUN_TIMEOUT_MS);

  it('takes a corrected verdict in the same conversation: a sloppy first claim costs one more request, not a re-run', async () => {
    const { result, report, server } = await runCase({ name: '', good: true, turns: [run(CHECK), claim(CHECK, 0, '...'), claim(CHECK, 0, '# pass 1')], exitCode: 0 });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(report.tasks[0]).toMatchObject({ outcome: 'succeeded', attempts: 1 });
    expect(requestsFor(server, 'check')).toBe(3);
  }, RUN_TIMEOUT_MS);

  it('fails a verifier that answers only in text "ended without a verdict" after 3 requests, without retrying it', async () => {
    const { result, report, server } = await runCase({ name: '', good: true, turns: Array.from({ length: 6 }, () => turn(text('I could not do it, stopping.'))), exitCode: 1 });
    expect(result.exitCode).toBe(1);
    expect(report.tasks[0]).toMatchObject({ outcome: 'failed', attempts: 1, failureReason: expect.stringContaining('ended without a verdict') });
    expect(requestsFor(server, 'check')).toBe(3);
  }, RUN_TIMEOUT_MS);

  it('marks a verification weak when no required command is known, and still fails one that cites only `true`', async () => {
    const weak = await runCase({ name: '', good: true, commands: [], turns: [run(CHECK), claim(CHECK, 0, '# pass 1')], exitCode: 0 });
    expect(weak.result.exitCode).toBe(0);
    expect(weak.report.tasks[0]!.verification).toMatchObject({ verified: true, weak: true });
    expect(weak.report.synthesis).toContain('Weak verification in check');
    const lazy = await runCase({ name: '', good: true, commands: [], turns: [run('true'), ...insists(claim('true', 0, 'exit code 0'))], exitCode: 1 });
    expect(lazy.result.exitCode).toBe(1);
    expect(lazy.report.tasks[0]!.failureReason).toContain('at least one command that checks something');
  }, RUN_TIMEOUT_MS);

  it('checks out a submodule in the verify worktree from the local module store, so a suite that needs it passes', async () => {
    const base = await tempDir('coordinate-verify-sub-');
    const lib = join(base, 'lib');
    await mkdir(lib);
    await writeFile(join(lib, 'value.txt'), 'from the submodule\n');
    await isolatedGit(lib, ['init', '-q', '-b', 'main']);
    await isolatedGit(lib, ['add', '-A']);
    await isolatedGit(lib, ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'lib']);
    const repo = join(base, 'repo');
    await createVerifyFixture(repo, { good: true, config: { fixRounds: 0 } });
    await isolatedGit(repo, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib, 'lib']);
    await isolatedGit(repo, ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Add lib']);
    // The module store is the only source: the submodule's origin is gone, as on a machine without network.
    await rm(lib, { recursive: true, force: true });

    const command = 'cat lib/value.txt';
    const server = await scriptedServer({ tasks: { check: [run(command), claim(command, 0, 'exit code 0\nfrom the submodule')] } });
    const plan = await writePlanFile(repo, verifyPlan([command]));
    const env = cliEnv(server);
    const result = await coordinate(['run', plan], { cwd: repo, env, timeoutMs: 90_000 });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const [runId] = await runIds(repo, env);
    const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
    expect(report.tasks[0]!.verification!.ran).toEqual([expect.objectContaining({ command, exitCode: 0, passed: true })]);
  }, RUN_TIMEOUT_MS);
});
