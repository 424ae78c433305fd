import { completeTask, toolUse, turn, type Scenario } from './scenario.js';

const runTests = (status: 'succeeded' | 'failed', excerpt: string, exitCode: number) => [
  turn(toolUse('run_command', { command: 'npm test' })),
  turn(completeTask({ status, summary: `npm test ${status}`, evidence: [{ command: 'npm test', exitCode, excerpt }] })),
];

/**
 * For the fixture repository: an implementation (`touch`) that misses the bug, a verification
 * (`tests`) whose real `npm test` fails, then the first fix round's fix (`tests-fix1`) that
 * repairs `add` and its re-verification (`tests-re1`) that passes.
 */
export function fixRoundScenario(): Scenario {
  return {
    tasks: {
      touch: [
        turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a * b;', new_string: 'return b * a;' })),
        turn(completeTask({ status: 'succeeded', summary: 'tidied multiply' })),
      ],
      tests: runTests('failed', 'fail 1', 1),
      'tests-fix1': [
        turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
        turn(completeTask({ status: 'succeeded', summary: 'fixed add' })),
      ],
      'tests-re1': runTests('succeeded', 'pass 2', 0),
    },
  };
}
