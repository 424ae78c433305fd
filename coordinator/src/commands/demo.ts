import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { humanStream, type CliContext } from '../cli/context.js';
import { runBranch } from '../run/layout.js';
import { readFlags } from './options.js';

const DemoFlags = z.object({ dir: z.string().optional(), workers: z.string(), json: z.boolean().optional() });

const DEMO_TASK = 'Make the failing test pass';

/**
 * `coordinate demo`: the whole pipeline offline. A sample repository with one bug, a local
 * server that speaks the Messages API from a script, and a real run against it: planner,
 * workers, worktrees, the real `npm test`, the merge, the report. No API key involved.
 */
export function registerDemoCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  program
    .command('demo')
    .description('see the whole pipeline work offline: a sample repository, a scripted model, a real run')
    .option('--dir <dir>', 'create the sample repository here (an empty or new folder; default: a new temp folder)')
    .option('--workers <n>', 'worker processes', '2')
    .option('--json', 'print report.json on stdout; human output goes to stderr')
    .action(async (raw: unknown) => {
      const flags = readFlags(DemoFlags, raw);
      const [{ createSampleRepo, demoScenario, startScriptedServer }, { planAndRun }] = await Promise.all([import('@coordinate/testkit'), import('./task.js')]);
      const out = humanStream(context, flags.json);
      const dir = flags.dir ? resolve(context.cwd, flags.dir) : await realpath(await mkdtemp(join(tmpdir(), 'coordinate-demo-')));
      await createSampleRepo(dir);
      out.write(`Sample repository: ${dir} (src/math.js has a bug; npm test fails)\n`);
      const server = await startScriptedServer({ scenario: demoScenario() });
      try {
        // The scripted server answers like the Messages API; the key only satisfies the client.
        const env = { ...context.env, ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'demo-key-for-the-scripted-server' };
        const { exitCode, runId } = await planAndRun({ ...context, cwd: dir, env }, DEMO_TASK, { yes: true, workers: flags.workers, json: flags.json });
        out.write(
          [
            '',
            `The demo ran in ${dir}.`,
            `  run folder: ${join(dir, '.coordinate', 'runs', runId)}`,
            `  the fix:    git -C ${dir} diff main ${runBranch(runId)}`,
            '',
          ].join('\n'),
        );
        done(exitCode);
      } finally {
        await server.close();
      }
    });
}
