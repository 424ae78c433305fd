import { TaskSpec, emptyUsage, type TaskResultBody } from '@coordinate/protocol';
import { describe, expect, it } from 'vitest';
import { FixRoundError } from './errors.js';
import { checkVerdict } from '@coordinate/tools';
import { planFixRound } from './fix-rounds.js';

const implement: TaskSpec = TaskSpec.parse({
  id: 'add-sum',
  title: 'Add a sum function',
  role: 'implement',
  instructions: 'Write sum() in src/math.ts.',
  dependsOn: [],
  files: ['src/math.ts'],
});
const verify: TaskSpec = TaskSpec.parse({
  id: 'check-sum',
  title: 'Check the sum function',
  role: 'verify',
  instructions: 'Run the unit tests and check sum() adds.',
  dependsOn: ['add-sum'],
  acceptance: ['sum(1, 2) is 3'],
  commands: ['npm test'],
});
const failed: TaskResultBody = {
  outcome: 'failed',
  summary: 'sum() returns the wrong value for negative numbers',
  evidence: [{ command: 'npm test', exitCode: 1, excerpt: 'expected -1 to be 1' }],
  commandsRun: [
    { command: 'npm test', exitCode: 1, excerpt: 'FAIL src/math.test.ts > sum > handles negatives\nAssertionError: expected -1 to be 1' },
    { command: 'git diff', exitCode: 0, excerpt: 'diff --git a/src/math.ts' },
  ],
  usage: emptyUsage(),
};

describe('planFixRound', () => {
  it('plans a fix task quoting the failing command and its output, and a re-verify that runs after it', () => {
    const plan = planFixRound({ failedVerify: verify, result: failed, implementTasks: [implement], round: 1, maxRounds: 2 });
    const [fix, reverify] = plan!.tasks;
    expect(fix).toMatchObject({ id: 'check-sum-fix1', role: 'implement', title: 'Fix: Check the sum function', dependsOn: ['add-sum'], files: ['src/math.ts'], commands: ['npm test'] });
    expect(fix.instructions).toContain('$ npm test  (exit code 1)');
    expect(fix.instructions).toContain('AssertionError: expected -1 to be 1');
    expect(fix.instructions).toContain('sum() returns the wrong value for negative numbers');
    expect(fix.instructions).not.toContain('$ git diff');
    expect(reverify).toMatchObject({
      id: 'check-sum-re1',
      role: 'verify',
      title: 'Re-verify: Check the sum function',
      dependsOn: ['add-sum', 'check-sum-fix1'],
      acceptance: ['sum(1, 2) is 3'],
      commands: ['npm test'],
    });
    expect(reverify.instructions).toBe('Re-check after fix round 1 (task check-sum-fix1).\n\nRun the unit tests and check sum() adds.');
  });

  it('names the next round after the plan\'s verify task, not after the failed re-verify', () => {
    const first = planFixRound({ failedVerify: verify, result: failed, implementTasks: [implement], round: 1, maxRounds: 3 })!;
    const [fix1, re1] = first.tasks;
    const second = planFixRound({ failedVerify: re1, result: failed, implementTasks: [implement, fix1], round: 2, maxRounds: 3 })!;
    const [fix2, re2] = second.tasks;
    expect([fix2.id, re2.id]).toEqual(['check-sum-fix2', 'check-sum-re2']);
    expect([fix2.title, re2.title]).toEqual(['Fix: Check the sum function', 'Re-verify: Check the sum function']);
    expect(fix2.dependsOn).toEqual(['add-sum', 'check-sum-fix1']);
    expect(re2.instructions).toBe('Re-check after fix round 2 (task check-sum-fix2).\n\nRun the unit tests and check sum() adds.');
  });

  it('plans nothing once the configured rounds are used up, or when fix rounds are off', () => {
    expect(planFixRound({ failedVerify: verify, result: failed, implementTasks: [implement], round: 3, maxRounds: 2 })).toBeUndefined();
    expect(planFixRound({ failedVerify: verify, result: failed, implementTasks: [implement], round: 1, maxRounds: 0 })).toBeUndefined();
  });

  it('tells the fix task why a claimed success was not trusted', () => {
    const claimedPass: TaskResultBody = {
      outcome: 'succeeded',
      summary: 'all tests pass',
      evidence: [{ command: 'npm test', exitCode: 0, excerpt: 'Tests 3 passed' }],
      commandsRun: [],
      usage: emptyUsage(),
    };
    const check = checkVerdict({ claimed: claimedPass.evidence!, commandsRun: [], outcome: 'succeeded', required: ['npm test'] });
    const [fix] = planFixRound({ failedVerify: verify, result: claimedPass, implementTasks: [implement], round: 1, maxRounds: 1, check })!.tasks;
    expect(fix.instructions).toContain('Its verdict could not be trusted: `npm test` is cited but never ran in this task; `npm test` was required but never ran.');
  });

  it('keeps ids, titles and instructions within the plan\'s limits for long names and huge output', () => {
    const long = TaskSpec.parse({ ...verify, id: 'v'.repeat(64), title: 'T'.repeat(200) });
    const huge: TaskResultBody = {
      ...failed,
      summary: 's'.repeat(20_000),
      commandsRun: Array.from({ length: 8 }, (_, i) => ({ command: `npm run check-${i}`, exitCode: 1, excerpt: `${'x'.repeat(19_000)} \`\`\` end of ${i}` })),
    };
    const [fix, reverify] = planFixRound({ failedVerify: long, result: huge, implementTasks: [implement], round: 10, maxRounds: 10 })!.tasks;
    expect(fix.id).toBe(`${'v'.repeat(58)}-fix10`);
    expect(reverify.id).toBe(`${'v'.repeat(59)}-re10`);
    expect(fix.title.length).toBeLessThanOrEqual(200);
    expect(fix.instructions.length).toBeLessThanOrEqual(20_000);
    expect(fix.instructions).toContain('end of 0');
    expect(fix.instructions).toContain('3 more failing commands not shown');
  });

  it('refuses a round number that cannot be right', () => {
    expect(() => planFixRound({ failedVerify: verify, result: failed, implementTasks: [], round: 0, maxRounds: 2 })).toThrow(FixRoundError);
  });
});
