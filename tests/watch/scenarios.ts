import { demoScenario, toolUse, turn, type Scenario } from '@coordinate/testkit';
import { demoPlan } from '../cli/scenarios.js';

export type TriageAction = { kind: string; reason: string; branch?: string };

/**
 * The scripted model of a watcher: its triage (a request with no task id, so the scenario's
 * fallback answers it) decides `actions` with the demo's fix as the plan; the fix run's planner
 * and workers answer as in the demo.
 */
export function triageScenario(actions: TriageAction[]): Scenario {
  return {
    ...demoScenario(),
    fallback: [
      turn(
        toolUse('submit_triage', {
          summary: 'The last commit made add subtract again, so the add test fails.',
          actions,
          plan: demoPlan(),
        }),
      ),
    ],
  };
}
