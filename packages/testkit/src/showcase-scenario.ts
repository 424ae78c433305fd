import { completeTask, submitPlan, text, toolUse, turn, type Scenario, type Turn } from './scenario.js';

export const SHOWCASE_TASK_IDS = { fix: 'fix-add', docs: 'document-add', verify: 'run-tests' } as const;

export interface ShowcaseOptions {
  /** How long the planner thinks before answering (ms). */
  plannerDelayMs?: number;
  /** How long each worker turn takes to answer (ms), as a real model would. */
  turnDelayMs?: number;
}

/**
 * The scripted model of `coordinate demo`, for the sample repository: two implementation tasks in
 * parallel (fix `add` in src/math.js, document it in README.md), then a verification that runs the
 * real `npm test` on the merged result. With the default delays a run takes about 20 s, so the live
 * panel, the parallel work and the merge can be seen.
 */
export function showcaseScenario(options: ShowcaseOptions = {}): Scenario {
  const { fix, docs, verify } = SHOWCASE_TASK_IDS;
  const paced = (delayMs: number) => (t: Turn): Turn => (delayMs > 0 ? { ...t, delayMs } : t);
  const worker = paced(options.turnDelayMs ?? 1_500);
  return {
    planner: [
      paced(options.plannerDelayMs ?? 2_500)(
        turn(
          submitPlan({
            goal: 'Make the failing test pass',
            summary: 'Fix `add`, document what it does, and prove the fix with the test suite.',
            tasks: [
              {
                id: fix,
                title: 'Fix add in src/math.js',
                role: 'implement',
                instructions: 'Make `add` return the sum of its arguments.',
                dependsOn: [],
                files: ['src/math.js'],
                acceptance: ['add(2, 3) returns 5'],
              },
              {
                id: docs,
                title: 'Document add in the README',
                role: 'implement',
                instructions: 'Add a Usage section to README.md that says what `add` and `multiply` return.',
                dependsOn: [],
                files: ['README.md'],
              },
              {
                id: verify,
                title: 'Run the test suite',
                role: 'verify',
                instructions: 'Run `npm test` and report the result with evidence.',
                dependsOn: [fix, docs],
                commands: ['npm test'],
                acceptance: ['npm test exits with 0'],
              },
            ],
            risks: ['multiply has no bug; leave it alone'],
          }),
        ),
      ),
    ],
    tasks: {
      [fix]: [
        turn(text('I will read the implementation first.'), toolUse('read_file', { path: 'src/math.js' })),
        turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
        turn(completeTask({ status: 'succeeded', summary: 'Changed `add` to return `a + b`.' })),
      ].map(worker),
      [docs]: [
        turn(toolUse('read_file', { path: 'README.md' })),
        turn(toolUse('edit_file', { path: 'README.md', old_string: 'Run the tests with `npm test`.\n', new_string: 'Run the tests with `npm test`.\n\n## Usage\n\n`add(a, b)` returns the sum of `a` and `b`; `multiply(a, b)` returns their product.\n' })),
        turn(completeTask({ status: 'succeeded', summary: 'Added a Usage section to README.md.' })),
      ].map(worker),
      [verify]: [
        turn(toolUse('run_command', { command: 'npm test' })),
        turn(completeTask({ status: 'succeeded', summary: 'npm test passes.', evidence: [{ command: 'npm test', exitCode: 0, excerpt: 'pass 2' }] })),
      ].map(worker),
    },
  };
}
