import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReport } from 'coordinate';
import { parsePlanMarkdown } from '@coordinate/plan';
import { demoScenario } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, readJson, runDir, runIds, sampleRepo, scriptedServer, writePlanFile } from './helpers.js';
import { demoPlan, failingVerifyPlan, failingVerifyScenario } from './scenarios.js';
import { wellFormedElements } from './xml.js';

afterEach(cleanup);

describe('coordinate "task" --yes', () => {
  it('plans, runs and verifies the fix, exits 0, and writes report.json (valid against its schema) and well-formed JUnit XML', async () => {
    const repo = await sampleRepo({ workers: 2 });
    const server = await scriptedServer(demoScenario());
    const env = cliEnv(server);
    const result = await coordinate(['Make the failing test pass', '--yes', '--junit', 'junit.xml', '--report-json', 'out/report.json', '--json'], { cwd: repo, env });
    expect(result.exitCode, result.stderr).toBe(0);

    const printed = RunReport.parse(JSON.parse(result.stdout));
    const [runId] = await runIds(repo, env);
    expect(printed.runId).toBe(runId);
    const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
    expect(RunReport.parse(await readJson(join(repo, 'out/report.json')))).toEqual(report);
    expect(report.outcome).toBe('succeeded');
    expect(report.exitCode).toBe(0);
    expect(report.tasks.map((t) => [t.id, t.outcome])).toEqual([
      ['find-bug', 'succeeded'],
      ['fix-add', 'succeeded'],
      ['run-tests', 'succeeded'],
    ]);
    expect(report.tasks.find((t) => t.id === 'run-tests')!.evidence.every((e) => e.verified)).toBe(true);
    expect(report.branch).toBe(`coordinate/${runId}`);

    const elements = wellFormedElements(await readFile(join(repo, 'junit.xml'), 'utf8'));
    expect(elements.filter((name) => name === 'testcase')).toHaveLength(3);
    expect(elements).not.toContain('failure');
    expect(result.stderr).toContain('Plan: Make the failing test pass');
    expect(result.stderr).toContain('critical path');
  });
});

describe('coordinate run plan.md', () => {
  it('with --host, tells how to start workers elsewhere and keeps the token in an owner-only file, out of the output and the logs', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer(demoScenario());
    const plan = await writePlanFile(repo, demoPlan());
    const result = await coordinate(['run', plan, '--host', '127.0.0.1', '--port', '0', '--workers', '1'], { cwd: repo, env: cliEnv(server) });
    expect(result.exitCode, result.stderr).toBe(0);
    const [runId] = await runIds(repo, cliEnv(server));
    const tokenFile = join(runDir(repo, runId!), 'worker-token');
    expect(result.stdout).toMatch(new RegExp(`COORDINATE_TOKEN="\\$\\(cat ${tokenFile}\\)" coordinate worker --url ws://127\\.0\\.0\\.1:\\d+`));
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    const token = (await readFile(tokenFile, 'utf8')).trim();
    expect(token.length).toBeGreaterThanOrEqual(16);
    expect(result.stdout + result.stderr).not.toContain(token);
    expect(await readFile(join(runDir(repo, runId!), 'logs', 'coordinator.log'), 'utf8')).not.toContain(token);
  });

  it('consolidates team memory into MEMORY.md once memory.dreamEvery runs have ended', async () => {
    const repo = await sampleRepo({ memory: { dreamEvery: 1 } });
    const server = await scriptedServer(demoScenario());
    const plan = await writePlanFile(repo, demoPlan());
    const result = await coordinate(['run', plan, '--workers', '1'], { cwd: repo, env: cliEnv(server) });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Team memory consolidated .*MEMORY\.md/);
    // What the run learned (the command that worked) is in the index a person reads.
    expect(await readFile(join(repo, '.coordinate', 'MEMORY.md'), 'utf8')).toContain('npm test');
  });

  it('refuses a port that is not a port number with exit 2', async () => {
    const repo = await sampleRepo();
    const plan = await writePlanFile(repo, demoPlan());
    const result = await coordinate(['run', plan, '--port', '70000'], { cwd: repo, env: cliEnv() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^coordinate: --port: must be a port number from 0 to 65535; got "/);
  });

  it('exits 1 when a verification fails, with a <failure> carrying its evidence in the JUnit XML', async () => {
    const repo = await sampleRepo({ fixRounds: 0 });
    const server = await scriptedServer(failingVerifyScenario());
    const plan = await writePlanFile(repo, failingVerifyPlan);
    const result = await coordinate(['run', plan, '--junit', 'junit.xml'], { cwd: repo, env: cliEnv(server) });
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stdout).toContain('run-tests');

    const junit = await readFile(join(repo, 'junit.xml'), 'utf8');
    expect(wellFormedElements(junit)).toContain('failure');
    expect(junit).toContain('npm test');
  });

  it('runs a plan written by `coordinate plan -o`, and exits 4 when --max-cost cannot pay for the first request, naming that budget', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer(demoScenario());
    const env = cliEnv(server);
    const planned = await coordinate(['plan', 'Make the failing test pass', '-o', 'plan.md'], { cwd: repo, env });
    expect(planned.exitCode, planned.stderr).toBe(0);
    expect(planned.stdout).toContain('coordinate run plan.md');
    expect(parsePlanMarkdown(await readFile(join(repo, 'plan.md'), 'utf8'))).toEqual(demoPlan());
    const planRequests = server.requests.length;

    const result = await coordinate(['run', 'plan.md', '--max-cost', '0.000001'], { cwd: repo, env });
    expect(result.exitCode, result.stderr).toBe(4);
    const [runId] = await runIds(repo, env);
    const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
    expect(report.outcome).toBe('budget_exhausted');
    expect(report.budget?.name).toBe('maxCostUsd');
    expect(server.requests.slice(planRequests)).toHaveLength(0);
  });
});
