import { join } from 'node:path';
import type { Plan } from '@coordinate/plan';
import { createVerifyFixture } from '@coordinate/testkit';
import { tempDir } from '../cli/helpers.js';

/** The verify fixture of testkit in a temp dir removed after the test. */
export async function fixtureRepo(options: { good: boolean; config?: Record<string, unknown> }): Promise<string> {
  const dir = join(await tempDir('coordinate-verify-'), 'repo');
  await createVerifyFixture(dir, options);
  return dir;
}

/** A plan of one verify task, `check`, that must prove `commands` (none: it relies on config or is weak). */
export function verifyPlan(commands?: string[]): Plan {
  return {
    goal: 'Check the project',
    summary: 'Run the checks.',
    tasks: [{ id: 'check', title: 'Run the checks', role: 'verify', instructions: 'Run the checks and report with evidence.', dependsOn: [], ...(commands ? { commands } : {}) }],
  };
}
