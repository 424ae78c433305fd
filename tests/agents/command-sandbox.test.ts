import { execFileSync } from 'node:child_process';
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { completeTask, toolUse, turn } from '@coordinate/testkit';
import { API_KEY, closeServers, filesUnder, finished, runAgents, scriptedServer, sentToModel, spec, tempDir } from './helpers.js';
import { TOKEN } from '../runtime/helpers.js';

const listeners: Server[] = [];
afterEach(async () => {
  await closeServers();
  await Promise.all(listeners.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  // Only the daemon this file starts, found by its unusual duration: nothing may outlive a test.
  for (const pid of sleepers()) process.kill(pid, 'SIGKILL');
  const { removeTempDirs } = await import('./helpers.js');
  await removeTempDirs();
});

const PRIVATE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nkey-material-that-must-stay-home\n';
const DAEMON_SECONDS = '301.25';

function sleepers(): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(`sleep ${DAEMON_SECONDS}`) && !line.includes('ps -eo')).map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** A person's world: a git repository whose task root is a folder in it, and a home holding a private key. */
async function world() {
  const base = await tempDir('coordinate-boundary-');
  const repoRoot = join(base, 'repo');
  const home = join(base, 'home');
  const outside = join(base, 'outside');
  await Promise.all([mkdir(repoRoot), mkdir(join(home, '.ssh'), { recursive: true }), mkdir(outside)]);
  await writeFile(join(home, '.ssh', 'id_ed25519'), PRIVATE_KEY);
  execFileSync('git', ['init', '-q', repoRoot]);
  await writeFile(join(repoRoot, 'README.md'), 'hello\n');
  execFileSync('git', ['-C', repoRoot, 'add', 'README.md']);
  execFileSync('git', ['-C', repoRoot, '-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'start']);
  await writeFile(join(repoRoot, 'README.md'), 'hello, changed\n');
  return { repoRoot, home, outside };
}

/** Every result the model was shown for a task's tool calls, in order. */
function toolResults(server: Awaited<ReturnType<typeof scriptedServer>>, taskId: string): string[] {
  const last = server.requests.filter((r) => r.taskId === taskId).at(-1)!.body as { messages: { role: string; content: unknown }[] };
  return last.messages.flatMap((m) => (Array.isArray(m.content) ? m.content.filter((c: { type?: string }) => c.type === 'tool_result').map((c: { content: unknown }) => JSON.stringify(c.content)) : []));
}

describe('commands run inside the OS sandbox', () => {
  it('an implementation task cannot write outside its root through an npm script or git --output, nor read a key under the home folder', async () => {
    const { repoRoot, home, outside } = await world();
    const keyPath = join(home, '.ssh', 'id_ed25519');
    const server = await scriptedServer({
      tasks: {
        escape: [
          turn(toolUse('write_file', { path: 'package.json', content: JSON.stringify({ name: 'x', scripts: { plant: `echo planted > ${outside}/by-npm.txt` } }) })),
          turn(toolUse('run_command', { command: 'npm run plant' })),
          turn(toolUse('run_command', { command: `git diff --output=${outside}/by-git.txt` })),
          turn(toolUse('run_command', { command: `git log --output=${outside}/by-git-log.txt` })),
          turn(toolUse('run_command', { command: `cat ${keyPath}` })),
          turn(toolUse('run_command', { command: 'git diff --output=inside.diff' })),
          turn(completeTask({ status: 'succeeded', summary: 'tried' })),
        ],
      },
    });
    const { outcome } = await runAgents({ repoRoot, runId: 'escape', tasks: [spec('escape', 'implement')], server, workers: 1, workerEnv: { HOME: home } });

    expect(outcome.outcome).toBe('succeeded');
    expect(await readdir(outside)).toEqual([]);
    expect(sentToModel(server)).not.toContain('key-material-that-must-stay-home');
    const results = toolResults(server, 'escape');
    // The temp folders of this test lie under /tmp, which is the command's own: outside is not even there.
    for (const refused of [results[1], results[2], results[3]]) expect(refused).toMatch(/Read-only file system|Directory nonexistent|No such file or directory/);
    expect(results[4]).toMatch(/No such file or directory/);
    // Inside its root the same command works: the sandbox stops the escape, not the work.
    await access(join(repoRoot, 'inside.diff'));
    expect(await readFile(join(repoRoot, 'inside.diff'), 'utf8')).toContain('hello, changed');
  });

  it('a verify task cannot read secrets from /proc, leave a daemon behind, or reach a listener on this machine', async () => {
    const { repoRoot, home } = await world();
    let connections = 0;
    const listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    listeners.push(listener);
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as { port: number }).port;
    const url = `http://127.0.0.1:${port}/`;
    const server = await scriptedServer({
      tasks: {
        probe: [
          turn(toolUse('run_command', { command: 'grep -ao . /proc/$PPID/environ | tr -d "\\n"; echo; cat /proc/*/environ | tr "\\0" "\\n"; ls /proc' })),
          turn(toolUse('run_command', { command: `setsid sleep ${DAEMON_SECONDS} > /dev/null 2>&1 & echo started` })),
          turn(toolUse('run_command', { command: `/usr/bin/curl -s -m 3 ${url}; echo "curl $?"` })),
          turn(toolUse('run_command', { command: `env curl -s -m 3 ${url}; echo "env curl $?"` })),
          turn(toolUse('run_command', { command: `node -e "fetch('${url}').then(() => console.log('fetched'), (e) => console.log('fetch failed', e.cause?.code))"` })),
          turn(completeTask({ status: 'succeeded', summary: 'probed', evidence: [{ command: 'ls', exitCode: 0, excerpt: '' }] })),
        ],
      },
    });
    const { outcome, events, runDir } = await runAgents({ repoRoot, runId: 'probe', tasks: [spec('probe', 'verify')], server, workers: 1, token: TOKEN, workerEnv: { HOME: home } });

    expect(finished(events, 'probe')).toBeDefined();
    expect(outcome.runId).toBe('probe');
    const results = toolResults(server, 'probe');
    expect(results[0]).not.toContain(API_KEY);
    expect(results[0]).not.toContain(TOKEN);
    expect(results[1]).toContain('started');
    expect(sleepers()).toEqual([]);
    expect(results[2]).toContain('curl 7');
    expect(results[3]).toContain('env curl 7');
    expect(results[4]).toContain('fetch failed');
    expect(connections).toBe(0);
    // Neither the API key nor a token is anywhere the run wrote.
    for (const { file, content } of [...(await filesUnder(runDir)), ...(await filesUnder(repoRoot)).filter((f) => !f.file.includes('/.git/'))]) {
      expect(content, file).not.toContain(API_KEY);
      expect(content, file).not.toContain(TOKEN);
    }
  });
});
