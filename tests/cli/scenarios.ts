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
