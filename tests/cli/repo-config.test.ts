import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '@coordinate/model';
import type { Plan } from '@coordinate/plan';
import { completeTask, demoScenario, toolUse, turn } from '@coordinate/testkit';
import { BIN, cleanup, cliEnv, coordinate, runDir, runIds, sampleRepo, scriptedServer, tempDir, writePlanFile } from './helpers.js';

afterEach(cleanup);

/**
 * Node binaries to try besides the one running the tests, colon-separated: Node 22.18+ and 24
 * strip TypeScript types, so there a repository's coordinate.config.ts could be imported.
 */
const NODES = [process.execPath, ...(process.env.COORDINATE_TEST_NODES ?? '').split(':').filter((node) => node !== '')];

describe.each(NODES)('a repository coordinate.config.ts under %s', (node) => {
  it('is never imported: the canary file its code would write is never written, and the person is told why', async () => {
    const repo = await sampleRepo();
    const home = await tempDir();
    const canary = join(home, 'canary');
    await writeFile(
      join(repo, 'coordinate.config.ts'),
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(canary)}, 'ran');\nexport default { workers: 1 };\n`,
    );
    const server = await scriptedServer(demoScenario());
    const result = await execa(node, [BIN, 'plan', 'Make the failing test pass', '-o', 'plan.md'], {
      cwd: repo,
      env: cliEnv(server, { HOME: home }),
      extendEnv: false,
      reject: false,
      timeout: 60_000,
      stdin: 'ignore',
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toContain('coordinate.config.ts in the repository is not loaded');
    expect(existsSync(canary)).toBe(false);
  });
});

/** One research task that tries a command: research may not run commands unless config allows the tool. */
const probePlan: Plan = {
  goal: 'Probe',
  summary: 'Try a command.',
  tasks: [{ id: 'probe', title: 'Run the tests', role: 'research', instructions: 'Run npm test.', dependsOn: [] }],
};
const probeScenario = () => ({
  tasks: { probe: [turn(toolUse('run_command', { command: 'npm test' })), turn(completeTask({ status: 'succeeded', summary: 'tried npm test' }))] },
});

async function deniedTools(repo: string, env: Record<string, string>): Promise<string[]> {
  const runId = (await runIds(repo, env)).at(-1)!;
  const journal = await readFile(join(runDir(repo, runId), 'journal.jsonl'), 'utf8');
  return journal
    .split('\n')
    .filter((line) => line.includes('"tool.denied"'))
    .map((line) => (JSON.parse(line) as { tool: string }).tool);
}

describe('a committed .coordinate/config.json', () => {
  it('cannot widen what is allowed until the person trusts that exact file; then it applies, and a change needs trust again', async () => {
    const repo = await sampleRepo({ permissions: { tools: { allow: ['run_command'] } }, workers: 1 });
    const home = await tempDir();
    const plan = await writePlanFile(repo, probePlan);

    const untrusted = await coordinate(['run', plan], { cwd: repo, env: cliEnv(await scriptedServer(probeScenario()), { HOME: home }) });
    expect(untrusted.exitCode, untrusted.stderr).toBe(0);
    expect(untrusted.stdout).toContain('not trusted: it can only narrow your settings');
    expect(untrusted.stdout).toContain('permissions.tools.allow: "run_command"');
    expect(await deniedTools(repo, cliEnv(undefined, { HOME: home }))).toEqual(['run_command']);

    const refused = await coordinate(['trust'], { cwd: repo, env: cliEnv(undefined, { HOME: home }) });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('coordinate trust --yes');
    const trust = await coordinate(['trust', '--yes'], { cwd: repo, env: cliEnv(undefined, { HOME: home }) });
    expect(trust.exitCode, trust.stderr).toBe(0);
    expect(trust.stdout).toContain('"run_command"');
    expect(trust.stdout).toContain('Trusted (sha256');

    const trusted = await coordinate(['run', plan], { cwd: repo, env: cliEnv(await scriptedServer(probeScenario()), { HOME: home }) });
    expect(trusted.exitCode, trusted.stderr).toBe(0);
    expect(trusted.stdout).toContain('trusted by you (coordinate trust)');
    expect(await deniedTools(repo, cliEnv(undefined, { HOME: home }))).toEqual([]);

    // one more byte and the file is a stranger again
    await writeFile(join(repo, '.coordinate', 'config.json'), JSON.stringify({ permissions: { tools: { allow: ['run_command'] } }, workers: 1 }, null, 1));
    const changed = await coordinate(['run', plan], { cwd: repo, env: cliEnv(await scriptedServer(probeScenario()), { HOME: home }) });
    expect(changed.stdout).toContain('not trusted');
    expect(await deniedTools(repo, cliEnv(undefined, { HOME: home }))).toEqual(['run_command']);
  }, 120_000);

  it('never sets prices, even trusted: a zero price cannot disarm --max-cost', async () => {
    const free = { input: 0, output: 0 };
    const pricing = Object.fromEntries(Object.values(DEFAULT_MODELS).map((model) => [model, free]));
    const repo = await sampleRepo({ pricing });
    const home = await tempDir();
    const plan = await writePlanFile(repo, probePlan);
    const server = await scriptedServer(probeScenario());
    const result = await coordinate(['run', plan, '--max-cost', '0.000001', '--trust-repo-config'], { cwd: repo, env: cliEnv(server, { HOME: home }) });
    expect(result.exitCode, result.stderr).toBe(4);
    expect(result.stdout).toContain('Ignored: pricing of');
    expect(server.requests).toHaveLength(0);
  });

  it('is taken from the person\'s own config folder only for prices', async () => {
    const repo = await sampleRepo();
    const home = await tempDir();
    await mkdir(join(home, '.config', 'coordinate'), { recursive: true });
    const pricing = Object.fromEntries(Object.values(DEFAULT_MODELS).map((model) => [model, { input: 0, output: 0 }]));
    await writeFile(join(home, '.config', 'coordinate', 'config.json'), JSON.stringify({ pricing }));
    const plan = await writePlanFile(repo, probePlan);
    const result = await coordinate(['run', plan, '--max-cost', '0.000001'], { cwd: repo, env: cliEnv(await scriptedServer(probeScenario()), { HOME: home }) });
    expect(result.exitCode, result.stderr).toBe(0);
  });
});
