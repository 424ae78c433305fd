import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { humanStream, type CliContext } from '../cli/context.js';
import { runBranch, runPaths } from '../run/layout.js';
import { defineFlags, flag } from '../cli/flags.js';

const DemoFlags = defineFlags({
  dir: flag('--dir <dir>', 'create the sample repository here (an empty or new folder; default: a new temp folder)'),
  workers: flag('--workers <n>', 'worker processes', { defaultValue: '2', schema: z.string() }),
  latency: flag('--latency <ms>', "how long each scripted model answer takes, like a real model's (0: as fast as possible)", {
    defaultValue: '1500',
    schema: z.string().regex(/^\d{1,6}$/, 'must be a whole number of milliseconds, e.g. 0 or 1500'),
  }),
  json: flag('--json', 'print report.json on stdout; human output goes to stderr'),
});

const DEMO_TASK = 'Make the failing test pass';

/**
 * `coordinate demo`: the whole pipeline offline. A sample repository with one bug, a local
 * server that speaks the Messages API from a script at a model's pace, and a real run against it:
 * planner, two implementation tasks in parallel worktrees, the merge, the real `npm test`, the
 * report. No API key involved.
 */
export function registerDemoCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  DemoFlags.declare(program.command('demo').description('see the whole pipeline work offline: a sample repository, a scripted model, a real run'))
    .action(async (raw: unknown) => {
      const flags = DemoFlags.read(raw);
      const [{ createSampleRepo, showcaseScenario, startScriptedServer }, { planAndRun }] = await Promise.all([import('@coordinate/testkit'), import('./task.js')]);
      const out = humanStream(context, flags.json);
      const dir = flags.dir ? resolve(context.cwd, flags.dir) : await realpath(await mkdtemp(join(tmpdir(), 'coordinate-demo-')));
      await createSampleRepo(dir);
      out.write(`Sample repository: ${dir} (src/math.js has a bug; npm test fails)\n`);
      const turnDelayMs = Number(flags.latency);
      const server = await startScriptedServer({ scenario: showcaseScenario({ turnDelayMs, plannerDelayMs: Math.round(turnDelayMs * 1.7) }) });
      try {
        // The scripted server answers like the Messages API; the key only satisfies the client.
        const env = { ...context.env, ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'demo-key-for-the-scripted-server' };
        const { exitCode, runId } = await planAndRun({ ...context, cwd: dir, env }, DEMO_TASK, { yes: true, workers: flags.workers, json: flags.json }, 'the demo approves its own plan');
        out.write(
          [
            '',
            `The demo ran in ${dir}.`,
            `  the change: git -C ${dir} diff main ${runBranch(runId)}`,
            `  the report: ${runPaths(dir, runId).reportHtml}`,
            `              open it with: coordinate show ${runId} --cwd ${dir} --open`,
            '',
          ].join('\n'),
        );
        done(exitCode);
      } finally {
        await server.close();
      }
    });
}
