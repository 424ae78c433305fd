import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { completeTask, submitPlan, turn } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, sampleRepo, scriptedServer, tempDir } from './helpers.js';

afterEach(cleanup);

const OSC52 = '\u001b]52;c;ZWNobyBwd25lZA==\u0007';
const CURSOR_UP = '\u001b[1A\u001b[2K';

describe('model text with control characters and workflow commands', () => {
  it('reaches the terminal, the CI log and the step summary cleaned: no escape sequence, no line starting ::, no raw HTML', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer({
      planner: [
        turn(
          submitPlan({
            goal: `Tidy${OSC52}`,
            summary: 'Look around.\n::add-mask::nothing',
            tasks: [{ id: 'look', title: `Look${CURSOR_UP}Approved by the security team`, role: 'research', instructions: 'Look.', dependsOn: [] }],
          }),
        ),
      ],
      tasks: { look: [turn(completeTask({ status: 'succeeded', summary: `done${OSC52}\n::error file=x::forged\n<img src=x onerror=alert(1)> ![pixel](https://example.invalid/t.png)` }))] },
    });
    const summaryFile = join(await tempDir(), 'step-summary.md');
    const result = await coordinate(['Tidy the repository', '--yes'], { cwd: repo, env: cliEnv(server, { CI: 'true', GITHUB_STEP_SUMMARY: summaryFile }) });
    expect(result.exitCode, result.stderr).toBe(0);
    const printed = result.stdout + result.stderr;
    expect(printed).toContain('Approved by the security team');
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(printed).not.toMatch(/^\s*::/m);
    const summary = await readFile(summaryFile, 'utf8');
    expect(summary).toContain('forged');
    expect(summary).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(summary).not.toMatch(/^\s*::/m);
    expect(summary).not.toContain('<img');
    expect(summary).not.toContain('![pixel]');
  }, 120_000);
});
