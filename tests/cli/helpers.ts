import { mkdtemp, readFile, realpath, rm, writeFile, mkdir } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { renderPlanMarkdown, type Plan } from '@coordinate/plan';
import { createSampleRepo, isolatedGit, startScriptedServer, type FaultPlan, type Scenario, type ScriptedServer } from '@coordinate/testkit';
import { isAlive, waitFor } from '../runtime/helpers.js';

export { isAlive, waitFor };

/** Timeout (ms) of a test that makes a whole run through the binary: with its workers it can outlast the default on a busy machine. */
export const SLOW_RUN = 120_000;

export const BIN = fileURLToPath(new URL('../../coordinator/bin/coordinate.js', import.meta.url));

const dirs: string[] = [];
const servers: ScriptedServer[] = [];
const processes: ResultPromise[] = [];
const pids: number[] = [];

export async function tempDir(prefix = 'coordinate-cli-'): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  dirs.push(dir);
  return dir;
}

/** The sample repository (`add` subtracts; `npm test` fails until it is fixed) in a fresh temp dir. */
export async function sampleRepo(config?: Record<string, unknown>): Promise<string> {
  const dir = join(await tempDir(), 'repo');
  await createSampleRepo(dir);
  if (config) {
    await mkdir(join(dir, '.coordinate'), { recursive: true });
    await writeFile(join(dir, '.coordinate', 'config.json'), JSON.stringify(config));
  }
  return dir;
}

/** Adds an npm script to the repository's package.json and commits it (a task runs it with run_command). */
export async function addPackageScript(repo: string, name: string, command: string): Promise<void> {
  const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  pkg.scripts[name] = command;
  await writeFile(join(repo, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  await isolatedGit(repo, ['commit', '-q', '-am', `Add the script ${name}`]);
}

export async function scriptedServer(scenario: Scenario, faults?: FaultPlan): Promise<ScriptedServer> {
  const server = await startScriptedServer({ scenario, ...(faults ? { faults } : {}) });
  servers.push(server);
  return server;
}

/** Processes a test saw (workers of a run), killed in cleanup if they outlived it. */
export function trackPids(more: number[]): void {
  pids.push(...more);
}

export async function cleanup(): Promise<void> {
  for (const child of processes.splice(0)) child.kill('SIGKILL');
  for (const pid of pids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** An explicit environment: nothing of the machine's own config, secrets or CI variables leaks in. */
export function cliEnv(server?: ScriptedServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NO_COLOR: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: devNull,
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.invalid',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.invalid',
    ...(server ? { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key-for-the-scripted-server' } : {}),
    ...extra,
  };
}

export interface CliOptions {
  cwd: string;
  env: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

/** Starts the real `coordinate` binary; the caller awaits it, kills it, or both. */
export function startCoordinate(args: string[], options: CliOptions): ResultPromise {
  const child = execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
  });
  processes.push(child);
  return child;
}

export async function coordinate(args: string[], options: CliOptions) {
  const result = await startCoordinate(args, options);
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export async function writePlanFile(dir: string, plan: Plan, name = 'plan.md'): Promise<string> {
  const file = join(dir, name);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, renderPlanMarkdown(plan));
  return file;
}

export const readJson = async (file: string): Promise<unknown> => JSON.parse(await readFile(file, 'utf8'));

/** The ids of the runs in a repository, oldest first. */
export async function runIds(repo: string, env: Record<string, string>): Promise<string[]> {
  const { stdout } = await coordinate(['runs', '--json'], { cwd: repo, env });
  return (JSON.parse(stdout) as { runs: { runId: string }[] }).runs.map((r) => r.runId);
}

export const runDir = (repo: string, runId: string) => join(repo, '.coordinate', 'runs', runId);

/** Model requests the scripted server answered for a task. */
export const requestsFor = (server: ScriptedServer, taskId: string) => server.requests.filter((r) => r.taskId === taskId && r.status === 200).length;

/** The worker pids a run's journal names. */
export async function workerPids(journal: string): Promise<number[]> {
  const text = await readFile(journal, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.includes('"worker.joined"'))
    .map((line) => (JSON.parse(line) as { pid: number }).pid);
}
