import { completeTask, submitPlan, text, toolUse, turn, type Scenario } from './scenario.js';

export const DEMO_TASK_IDS = { research: 'find-bug', implement: 'fix-add', verify: 'run-tests' } as const;

/**
 * The scripted model of `coordinate demo`, for the sample repository: a plan research → implement →
 * verify, where the fix is a real edit_file and the verification runs the real `npm test`.
 */
export function demoScenario(): Scenario {
  const { research, implement, verify } = DEMO_TASK_IDS;
  return {
    planner: [
      turn(
        submitPlan({
          goal: 'Make the failing test pass',
          summary: 'Find why `add` is wrong, fix it, and prove the fix with the test suite.',
          tasks: [
            {
              id: research,
              title: 'Find the cause of the failing add test',
              role: 'research',
              instructions: 'Read src/math.js and test/math.test.js and note why `add` fails.',
              dependsOn: [],
              files: ['src/math.js', 'test/math.test.js'],
            },
            {
              id: implement,
              title: 'Fix add in src/math.js',
              role: 'implement',
              instructions: 'Make `add` return the sum of its arguments.',
              dependsOn: [research],
              files: ['src/math.js'],
              acceptance: ['add(2, 3) returns 5'],
            },
            {
              id: verify,
              title: 'Run the test suite',
              role: 'verify',
              instructions: 'Run `npm test` and report the result with evidence.',
              dependsOn: [implement],
              commands: ['npm test'],
              acceptance: ['npm test exits with 0'],
            },
          ],
          risks: ['multiply has no bug; leave it alone'],
        }),
      ),
    ],
    tasks: {
      [research]: [
        turn(text('I will read the implementation first.'), toolUse('read_file', { path: 'src/math.js' })),
        turn(toolUse('scratchpad_write', { name: 'notes.md', content: '`add` in src/math.js returns `a - b`; it must return `a + b`.\n' })),
        turn(completeTask({ status: 'succeeded', summary: '`add` subtracts instead of adding (src/math.js, line 2).' })),
      ],
      [implement]: [
        turn(toolUse('read_file', { path: 'src/math.js' })),
        turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
        turn(completeTask({ status: 'succeeded', summary: 'Changed `add` to return `a + b`.' })),
      ],
      [verify]: [
        turn(toolUse('run_command', { command: 'npm test' })),
        turn(
          completeTask({
            status: 'succeeded',
            summary: 'npm test passes.',
            evidence: [{ command: 'npm test', exitCode: 0, excerpt: 'pass 2' }],
          }),
        ),
      ],
    },
  };
}
