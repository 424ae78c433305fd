import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReport, type JournalEvent } from 'coordinate';
import type { Plan } from '@coordinate/plan';
import { completeTask, demoScenario, toolUse, turn, type Scenario } from '@coordinate/testkit';
import {
  BIN,
  cleanup,
  cliEnv,
  coordinate,
  readJson,
  requestsFor,
  runDir,
  runIds,
  sampleRepo,
  scriptedServer,
  startCoordinate,
  trackPids,
  waitFor,
  workerPids,
  writePlanFile,
} from './helpers.js';
import { demoPlan, withDelay } from './scenarios.js';

const git = promisify(execFile);

afterEach(cleanup);

/** Every line of the journal, each one whole JSON ending in a newline (a torn or half-written line fails). */
async function journalOf(repo: string, runId: string): Promise<JournalEvent[]> {
  const text = await readFile(join(runDir(repo, runId), 'journal.jsonl'), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as JournalEvent);
}

const count = (events: JournalEvent[], type: JournalEvent['type'], taskId?: string) =>
  events.filter((e) => e.type === type && (taskId === undefined || ('taskId' in e && e.taskId === taskId))).length;

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

/** The demo plan without its research task: fix-add → run-tests. */
const fixAndVerifyPlan = (): Plan => {
  const plan = demoPlan();
  return { ...plan, tasks: plan.tasks.filter((t) => t.role !== 'research').map((t) => ({ ...t, dependsOn: t.dependsOn.filter((d) => d !== 'find-bug') })) };
};

/** fix-add edits first, then reads for many turns before it completes: a budget stop lands after the edit. */
function longFixScenario(): Scenario {
  const demo = demoScenario();
  // Each read goes a line further, so the task keeps making progress until the budget stops it.
  const reads = Array.from({ length: 12 }, (_, i) => turn(toolUse('read_file', { path: 'src/math.js', offset: i + 1 })));
  return {
    ...demo,
    tasks: {
      ...demo.tasks,
      'fix-add': [
        turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
        ...reads,
        turn(completeTask({ status: 'succeeded', summary: 'Changed `add` to return `a + b`.' })),
      ],
    },
  };
}

describe('a run that stops continues with `coordinate resume`', () => {
  it('refuses to resume a run that is still running, naming its pid; the run finishes once and runs each task once', async () => {
    const repo = await sampleRepo({ workers: 1 });
    // The fix task's answer is held long enough for the checks below, each a `coordinate` process of its own.
    const server = await scriptedServer(withDelay(demoScenario(), 'fix-add', 60_000));
    const env = cliEnv(server);
    const plan = await writePlanFile(repo, demoPlan());
    const child = startCoordinate(['run', plan], { cwd: repo, env, timeoutMs: 180_000 });
    await waitFor(() => server.requests.some((r) => r.taskId === 'fix-add'), 'the fix task to ask the model', 30_000);
    const [runId] = await runIds(repo, env);
    trackPids(await workerPids(join(runDir(repo, runId!), 'journal.jsonl')));

    for (const args of [['resume', runId!], ['resume']]) {
      const refused = await coordinate(args, { cwd: repo, env });
      expect(refused.exitCode, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`run ${runId} is still running (pid ${child.pid}`);
    }
    expect((await coordinate(['runs'], { cwd: repo, env })).stdout).toContain(`running (pid ${child.pid})`);
    expect((await coordinate(['show', runId!], { cwd: repo, env })).stdout).toContain(`running (pid ${child.pid})`);

    const first = await child;
    expect(first.exitCode, String(first.stderr)).toBe(0);
    const events = await journalOf(repo, runId!);
    expect(count(events, 'run.finished')).toBe(1);
    for (const id of ['find-bug', 'fix-add', 'run-tests']) expect(count(events, 'task.assigned', id), id).toBe(1);
    expect([requestsFor(server, 'find-bug'), requestsFor(server, 'fix-add'), requestsFor(server, 'run-tests')]).toEqual([3, 3, 2]);
    expect((await coordinate(['runs'], { cwd: repo, env })).stdout).not.toContain('running');
  }, 200_000);

  it('stops at a budget with the task interrupted and its edit kept, says which budget to raise, and continues with a higher one', async () => {
    const repo = await sampleRepo({ workers: 1 });
    const server = await scriptedServer(longFixScenario());
    const env = cliEnv(server);
    const plan = await writePlanFile(repo, fixAndVerifyPlan());
    const stopped = await coordinate(['run', plan, '--max-tokens', '40000'], { cwd: repo, env });
    expect(stopped.exitCode, stopped.stderr).toBe(4);
    const [runId] = await runIds(repo, env);
    const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
    expect(report.tasks.find((t) => t.id === 'fix-add')?.outcome).toBe('interrupted');
    expect(report.budget?.name).toBe('maxTokens');
    expect(lastLine(stopped.stdout)).toBe(`coordinate resume ${runId} --max-tokens 80000`);
    const editTurns = requestsFor(server, 'fix-add');
    expect(editTurns).toBeGreaterThan(1);

    const same = await coordinate(['resume', runId!, '--max-tokens', '40000'], { cwd: repo, env });
    expect(same.exitCode).toBe(2);
    expect(same.stderr).toContain('maxTokens budget (40000) ran out');
    expect(same.stderr).toContain(`coordinate resume ${runId} --max-tokens 80000`);

    // the run already has its starting point: a snapshot of the working tree cannot become it now
    const snapshot = await coordinate(['resume', runId!, '--max-tokens', '1000000', '--include-uncommitted'], { cwd: repo, env });
    expect(snapshot.exitCode).toBe(2);
    expect(snapshot.stderr).toContain(`run ${runId} already started from its own base commit; --include-uncommitted chooses where a run starts`);

    const resumed = await coordinate(['resume', runId!, '--max-tokens', '1000000'], { cwd: repo, env });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const { stdout } = await git('git', ['-C', repo, 'show', `coordinate/${runId}:src/math.js`]);
    expect(stdout).toContain('return a + b;');
    const log = await git('git', ['-C', repo, 'log', '--format=%s', `coordinate/${runId}`]);
    expect(log.stdout).toContain('Fix add in src/math.js (work in progress)');
  }, 120_000);

  it('ends with exit 5 when the model API stays unavailable, and a resume once it is back continues without re-running finished tasks or the planner', async () => {
    const repo = await sampleRepo({ workers: 1 });
    // The planner's request and find-bug's three are answered; from then on every request gets 529.
    const down = await scriptedServer(demoScenario(), { after: 4, rate: 1, kinds: [{ kind: 'overloaded' }] });
    const first = await coordinate(['Make the failing test pass', '--yes'], { cwd: repo, env: cliEnv(down), timeoutMs: 120_000 });
    expect(first.exitCode, first.stderr).toBe(5);
    const [runId] = await runIds(repo, cliEnv(down));
    expect(lastLine(first.stdout)).toBe(`coordinate resume ${runId}`);
    const stopped = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
    expect(stopped.outcome).toBe('api_unavailable');
    expect(stopped.tasks.map((t) => [t.id, t.outcome])).toEqual([
      ['find-bug', 'succeeded'],
      ['fix-add', 'interrupted'],
      ['run-tests', 'not_run'],
    ]);

    const up = await scriptedServer(demoScenario());
    const resumed = await coordinate(['resume', runId!], { cwd: repo, env: cliEnv(up) });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(up.requests.filter((r) => r.route === 'planner')).toHaveLength(0);
    expect(requestsFor(up, 'find-bug')).toBe(0);
    expect([requestsFor(up, 'fix-add'), requestsFor(up, 'run-tests')]).toEqual([3, 2]);
    const events = await journalOf(repo, runId!);
    expect(events.filter((e) => e.type === 'run.finished').map((e) => e.type === 'run.finished' && e.outcome)).toEqual(['api_unavailable', 'succeeded']);
  }, 120_000);

  it('stops cleanly when stdout is closed (`| head`): the journal ends whole, the resume line goes to stderr, and the resume finishes the run', async () => {
    const repo = await sampleRepo({ workers: 1 });
    const server = await scriptedServer(withDelay(demoScenario(), 'fix-add', 2_000));
    const env = cliEnv(server);
    const plan = await writePlanFile(repo, demoPlan());
    const piped = await execa('bash', ['-c', `"${process.execPath}" "${BIN}" run "${plan}" | head -2; exit \${PIPESTATUS[0]}`], {
      cwd: repo,
      env,
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    expect(piped.exitCode, piped.stderr).toBe(130);
    expect(piped.stdout.split('\n')).toHaveLength(2);
    const [runId] = await runIds(repo, env);
    expect(lastLine(piped.stderr)).toBe(`coordinate resume ${runId}`);
    const events = await journalOf(repo, runId!);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', outcome: 'interrupted' });

    const resumed = await coordinate(['resume', runId!], { cwd: repo, env });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
  }, 120_000);

  it('resumes a journal written in the format before journals named their version, without re-running its finished task', async () => {
    const repo = await sampleRepo({ workers: 1 });
    const runId = '20261129-120000-v1ab';
    await mkdir(runDir(repo, runId), { recursive: true });
    await copyFile(new URL('./fixtures/journal-v1.jsonl', import.meta.url), join(runDir(repo, runId), 'journal.jsonl'));
    const server = await scriptedServer(demoScenario());
    const resumed = await coordinate(['resume', runId], { cwd: repo, env: cliEnv(server) });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(requestsFor(server, 'find-bug')).toBe(0);
    expect([requestsFor(server, 'fix-add'), requestsFor(server, 'run-tests')]).toEqual([3, 2]);
    const report = RunReport.parse(await readJson(join(runDir(repo, runId), 'report.json')));
    expect(report.tasks.map((t) => [t.id, t.outcome])).toEqual([
      ['find-bug', 'succeeded'],
      ['fix-add', 'succeeded'],
      ['run-tests', 'succeeded'],
    ]);
  }, 120_000);
});
