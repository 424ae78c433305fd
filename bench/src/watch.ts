import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createSampleRepo, isolatedGit, startScriptedServer, toolUse, turn } from '@coordinate/testkit';
import { writeResults } from './results.js';
import { printTable } from './table.js';

/** The default interval: what one idle day is made of. */
const DEFAULT_EVERY_MS = 5 * 60_000;
const IDLE_TICKS = 20;
const CPU_TICKS = 40;
const CPU_FILES = 10_000;
const NOTICE_EVERY_S = 10;
const BIN = fileURLToPath(new URL('../../coordinator/bin/coordinate.js', import.meta.url));
const FIXED = 'export function add(a, b) {\n  return a + b;\n}\n\nexport function multiply(a, b) {\n  return a * b;\n}\n';

const env = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  COORDINATE_WATCH_DESKTOP: '0',
  NO_COLOR: '1',
  ...extra,
});

async function sampleRepo(root: string, config: Record<string, unknown>): Promise<string> {
  const repo = join(root, 'repo');
  await createSampleRepo(repo);
  await writeFile(join(repo, 'src/math.js'), FIXED);
  await mkdir(join(repo, '.coordinate'), { recursive: true });
  await writeFile(join(repo, '.coordinate/config.json'), JSON.stringify(config));
  await commit(repo, 'Fix add');
  return repo;
}

async function commit(repo: string, message: string): Promise<void> {
  await isolatedGit(repo, ['add', '-A']);
  await isolatedGit(repo, ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message]);
}

async function receiptCount(repo: string): Promise<number> {
  const text = await readFile(join(repo, '.coordinate/watch/journal.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line.includes('"watch.tick"')).length;
}

async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const ticksReached = (repo: string, count: number) => until(async () => ((await receiptCount(repo)) >= count ? true : undefined), `${count} ticks`, 300_000);

function startWatcher(repo: string, every: string, extraEnv: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, 'watch', '--every', every], { cwd: repo, env: env(extraEnv), stdio: 'ignore' });
}

async function stop(watcher: ChildProcess): Promise<void> {
  if (watcher.exitCode !== null || watcher.signalCode !== null) return;
  const exited = once(watcher, 'exit');
  watcher.kill('SIGTERM');
  await exited;
}

/** CPU the process and its reaped children (git, the commands) used so far, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14-17; here indexed from field 3.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return (ticks * 1000) / 100;
}

async function idleRequests(root: string) {
  const repo = await sampleRepo(root, { commands: { test: 'npm test' } });
  const server = await startScriptedServer({ scenario: {} });
  const watcher = startWatcher(repo, '200ms', { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'bench' });
  try {
    await ticksReached(repo, IDLE_TICKS);
  } finally {
    await stop(watcher);
    await server.close();
  }
  const ticks = await receiptCount(repo);
  return { ticks, requests: server.requests.length, perDay: (server.requests.length / ticks) * (86_400_000 / DEFAULT_EVERY_MS) };
}

async function idleCpu(root: string) {
  const repo = join(root, 'big');
  await mkdir(repo, { recursive: true });
  for (let dir = 0; dir < 100; dir++) {
    await mkdir(join(repo, `pkg${dir}`), { recursive: true });
    await Promise.all(Array.from({ length: CPU_FILES / 100 }, (_, i) => writeFile(join(repo, `pkg${dir}`, `file${i}.js`), `export const v${i} = ${dir * 1000 + i};\n`)));
  }
  await isolatedGit(repo, ['init', '-q', '-b', 'main']);
  await commit(repo, 'Ten thousand files');
  const watcher = startWatcher(repo, '250ms');
  try {
    await ticksReached(repo, 5);
    const start = { cpu: cpuMs(watcher.pid!), ticks: await receiptCount(repo) };
    await ticksReached(repo, start.ticks + CPU_TICKS);
    const end = { cpu: cpuMs(watcher.pid!), ticks: await receiptCount(repo) };
    return { files: CPU_FILES, ticks: end.ticks - start.ticks, cpuMsPerTick: (end.cpu - start.cpu) / (end.ticks - start.ticks) };
  } finally {
    await stop(watcher);
  }
}

async function timeToNotice(root: string) {
  const repo = await sampleRepo(join(root, 'notice'), { commands: { test: 'npm test' } });
  const testStart = performance.now();
  spawnSync('npm', ['test'], { cwd: repo, env: env(), stdio: 'ignore' });
  const testS = (performance.now() - testStart) / 1000;
  const server = await startScriptedServer({
    scenario: { fallback: [turn(toolUse('submit_triage', { summary: 'add subtracts', actions: [{ kind: 'note', reason: 'bench' }] }))] },
  });
  const watcher = startWatcher(repo, `${NOTICE_EVERY_S}s`, { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'bench' });
  try {
    await ticksReached(repo, 1);
    await writeFile(join(repo, 'src/math.js'), FIXED.replace('a + b', 'a - b'));
    await commit(repo, 'Break add');
    const committed = performance.now();
    await until(async () => ((await readFile(join(repo, '.coordinate/inbox.md'), 'utf8').catch(() => '')).includes(' · now · ') ? true : undefined), 'the notice', 120_000);
    const seconds = (performance.now() - committed) / 1000;
    // The tick that noticed it: worktree, sandbox and test run as the watcher really does them.
    const noticing = await until(async () => {
      const text = await readFile(join(repo, '.coordinate/watch/journal.jsonl'), 'utf8');
      const line = text.split('\n').find((l) => l.includes('"watch.tick"') && l.includes('"now"'));
      return line === undefined ? undefined : (JSON.parse(line) as { durationMs: number });
    }, 'the receipt of the noticing tick', 60_000);
    return { seconds, testS, checkS: noticing.durationMs / 1000 };
  } finally {
    await stop(watcher);
    await server.close();
  }
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'coordinate-bench-watch-')));
  try {
    await mkdir(join(root, 'notice'), { recursive: true });
    console.error('watch bench: idle ticks…');
    const idle = await idleRequests(root);
    console.error(`watch bench: CPU of idle ticks on a ${CPU_FILES}-file repository…`);
    const cpu = await idleCpu(root);
    console.error(`watch bench: from a breaking commit to the notice, every ${NOTICE_EVERY_S}s…`);
    const notice = await timeToNotice(root);
    const results = {
      idle_model_requests_per_day: round(idle.perDay),
      idle_tick_cpu_ms: round(cpu.cpuMsPerTick),
      time_to_notice_s: round(notice.seconds),
      time_to_notice_target_s: round(NOTICE_EVERY_S + notice.checkS),
      check_time_s: round(notice.checkS),
      bare_test_time_s: round(notice.testS),
      idle_ticks_observed: idle.ticks,
      idle_model_requests_observed: idle.requests,
      cpu_ticks_measured: cpu.ticks,
      cpu_repository_files: cpu.files,
      notice_interval_s: NOTICE_EVERY_S,
      load_average: loadavg().map((n) => round(n)),
      cores: availableParallelism(),
    };
    const rows = [
      ['metric', 'value', 'target'],
      ['idle model requests per day (default 5m interval)', String(results.idle_model_requests_per_day), '0'],
      [`CPU per idle tick, ${CPU_FILES} files (watcher + git)`, `${results.idle_tick_cpu_ms} ms`, '< 50 ms'],
      [`breaking commit -> now notice, every ${NOTICE_EVERY_S}s`, `${results.time_to_notice_s} s`, `< ${results.time_to_notice_target_s} s (interval + the tick's test run ${results.check_time_s} s; bare npm test ${results.bare_test_time_s} s)`],
    ];
    printTable(rows);
    writeResults('watch', results);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
