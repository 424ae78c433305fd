import { Plan } from '@coordinate/plan';
import { completeTask, demoScenario, submitPlan, toolUse, turn, type Scenario } from '@coordinate/testkit';

/** The plan the demo's scripted planner submits: find-bug → fix-add → run-tests. */
export function demoPlan(): Plan {
  const block = demoScenario().planner![0]!.content[0]!;
  if (block.type !== 'tool_use') throw new Error('the demo scenario no longer opens with submit_plan');
  return Plan.parse(block.input);
}

/** The demo scenario with the first turn of `taskId` answered only after `delayMs`. */
export function withDelay(scenario: Scenario, taskId: string, delayMs: number): Scenario {
  const turns = scenario.tasks![taskId]!;
  return { ...scenario, tasks: { ...scenario.tasks, [taskId]: [{ ...turns[0]!, delayMs }, ...turns.slice(1)] } };
}

/** The demo's planner, then a revision (turn 2) that adds a docs task, for "revise with feedback". */
export function revisableScenario(): Scenario {
  const plan = demoPlan();
  const revised = {
    ...plan,
    tasks: [...plan.tasks, { id: 'note-fix', title: 'Note the fix in the README', role: 'research' as const, instructions: 'Say what changed.', dependsOn: ['run-tests'] }],
  };
  return { ...demoScenario(), planner: [turn(submitPlan(plan)), turn(submitPlan(revised))] };
}

/** A plan whose only task runs the real (failing) test suite and reports the failure with its evidence. */
export const failingVerifyPlan: Plan = {
  goal: 'Check the test suite',
  summary: 'Run the tests.',
  tasks: [{ id: 'run-tests', title: 'Run the test suite', role: 'verify', instructions: 'Run `npm test` and report the result with evidence.', dependsOn: [], commands: ['npm test'] }],
};

export function failingVerifyScenario(): Scenario {
  return {
    tasks: {
      'run-tests': [
        turn(toolUse('run_command', { command: 'npm test' })),
        turn(completeTask({ status: 'failed', summary: 'npm test fails: add(2, 3) is -1.', evidence: [{ command: 'npm test', exitCode: 1, excerpt: 'fail 1' }] })),
      ],
    },
  };
}

/** An implementation that misses the bug, and a verification whose real `npm test` then fails: a fix round follows (the turns are `fixRoundScenario`). */
export const fixRoundPlan: Plan = {
  goal: 'Make the failing test pass',
  summary: 'Tidy, then verify.',
  tasks: [
    { id: 'touch', title: 'Touch multiply', role: 'implement', instructions: 'tidy multiply', dependsOn: [], files: ['src/math.js'] },
    { id: 'tests', title: 'Run the tests', role: 'verify', instructions: 'run npm test', dependsOn: ['touch'], commands: ['npm test'] },
  ],
};

/** Two research tasks: one reads its declared files and leaves a note, one looks around the repository. */
export const researchOnlyPlan: Plan = {
  goal: 'Find out why the test suite fails',
  summary: 'Read the code and its tests; note what is wrong.',
  tasks: [
    { id: 'read-code', title: 'Read the math module and its test', role: 'research', instructions: 'Find the bug in add and note it.', dependsOn: [], files: ['src/math.js', 'test/math.test.js'] },
    { id: 'read-docs', title: 'Read the README', role: 'research', instructions: 'Note what the README promises.', dependsOn: [] },
  ],
};

export function researchOnlyScenario(): Scenario {
  return {
    tasks: {
      'read-code': [
        turn(toolUse('read_file', { path: 'src/math.js' })),
        turn(toolUse('read_file', { path: 'test/math.test.js' })),
        turn(toolUse('scratchpad_write', { name: 'bug.md', content: '`add` returns `a - b`; the test expects the sum.\n' })),
        turn(completeTask({ status: 'succeeded', summary: '`add` subtracts (src/math.js, line 2).' })),
      ],
      'read-docs': [
        turn(toolUse('list_files', {})),
        turn(toolUse('read_file', { path: 'README.md' })),
        turn(completeTask({ status: 'succeeded', summary: 'The README promises a working add.' })),
      ],
    },
  };
}

const newFile = (path: string, content: string) => [turn(toolUse('write_file', { path, content })), turn(completeTask({ status: 'succeeded', summary: `Wrote ${path}.` }))];
const readThenNote = (path: string) => [turn(toolUse('read_file', { path })), turn(completeTask({ status: 'succeeded', summary: `Read ${path}.` }))];

/** Nine tasks in three waves: two surveys, five implementations on separate files, the test suite, a closing note. */
export const widePlan: Plan = {
  goal: 'Fix add and tidy the project',
  summary: 'Survey, fix and document in parallel, verify, then sum up.',
  tasks: [
    { id: 'map-code', title: 'Survey the code', role: 'research', instructions: 'Note what src/math.js exports.', dependsOn: [], files: ['src/math.js'] },
    { id: 'map-tests', title: 'Survey the tests', role: 'research', instructions: 'Note what the tests check.', dependsOn: [], files: ['test/math.test.js'] },
    { id: 'fix-add', title: 'Fix add', role: 'implement', instructions: 'Make add return the sum.', dependsOn: ['map-code', 'map-tests'], files: ['src/math.js'] },
    { id: 'usage', title: 'Document the functions', role: 'implement', instructions: 'Add a Usage section to README.md.', dependsOn: ['map-code'], files: ['README.md'] },
    { id: 'license', title: 'Add a licence', role: 'implement', instructions: 'Add an MIT LICENSE file.', dependsOn: [], files: ['LICENSE'] },
    { id: 'changelog', title: 'Start a changelog', role: 'implement', instructions: 'Add CHANGELOG.md with the fix of add.', dependsOn: [], files: ['CHANGELOG.md'] },
    { id: 'contributing', title: 'Say how to contribute', role: 'implement', instructions: 'Add CONTRIBUTING.md: run npm test before a change.', dependsOn: [], files: ['CONTRIBUTING.md'] },
    { id: 'run-tests', title: 'Run the test suite', role: 'verify', instructions: 'Run npm test and report with evidence.', dependsOn: ['fix-add', 'usage', 'license', 'changelog', 'contributing'], commands: ['npm test'] },
    { id: 'sum-up', title: 'Sum up the changes', role: 'research', instructions: 'Read the README and say what changed.', dependsOn: ['run-tests'], files: ['README.md'] },
  ],
};

export function wideScenario(): Scenario {
  return {
    tasks: {
      'map-code': readThenNote('src/math.js'),
      'map-tests': readThenNote('test/math.test.js'),
      'fix-add': [
        turn(toolUse('read_file', { path: 'src/math.js' })),
        turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
        turn(completeTask({ status: 'succeeded', summary: 'add returns a + b.' })),
      ],
      usage: [
        turn(toolUse('read_file', { path: 'README.md' })),
        turn(toolUse('edit_file', { path: 'README.md', old_string: 'Run the tests with `npm test`.\n', new_string: 'Run the tests with `npm test`.\n\n## Usage\n\n`add(a, b)` returns the sum; `multiply(a, b)` the product.\n' })),
        turn(completeTask({ status: 'succeeded', summary: 'Added a Usage section.' })),
      ],
      license: newFile('LICENSE', 'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software.\n'),
      changelog: newFile('CHANGELOG.md', '# Changelog\n\n## 1.0.1\n\n- `add` returns the sum of its arguments.\n'),
      contributing: newFile('CONTRIBUTING.md', '# Contributing\n\nRun `npm test` before you send a change.\n'),
      'run-tests': [
        turn(toolUse('run_command', { command: 'npm test' })),
        turn(completeTask({ status: 'succeeded', summary: 'npm test passes.', evidence: [{ command: 'npm test', exitCode: 0, excerpt: 'pass 2' }] })),
      ],
      'sum-up': readThenNote('README.md'),
    },
  };
}
