import { z } from 'zod';
import { CoordinateError, defineError } from '@coordinate/protocol';

// Codes the person fixes by changing the command, the config, a plan or their setup: exit code 2.
defineError('invalid_plan', z.unknown(), { retryable: false, exit: 'usage' });

export type PlanProblem =
  | { kind: 'duplicate_id'; id: string }
  | { kind: 'unknown_dependency'; id: string; dependsOn: string }
  | { kind: 'self_dependency'; id: string }
  | { kind: 'cycle'; ids: string[] }
  | { kind: 'unverified_implementation'; id: string };

export function describeProblem(problem: PlanProblem): string {
  switch (problem.kind) {
    case 'duplicate_id':
      return `task id "${problem.id}" is used more than once`;
    case 'unknown_dependency':
      return `task "${problem.id}" depends on "${problem.dependsOn}", which is not a task of the plan`;
    case 'self_dependency':
      return `task "${problem.id}" depends on itself`;
    case 'cycle':
      return `tasks form a cycle: ${[...problem.ids, problem.ids[0]].join(' → ')}`;
    case 'unverified_implementation':
      return `implementation task "${problem.id}" is not checked by any verify task (add a verify task that depends on it)`;
  }
}

export class PlanError extends CoordinateError {
  constructor(readonly problems: PlanProblem[]) {
    super('invalid_plan', `the plan is not valid:\n${problems.map((p) => `  - ${describeProblem(p)}`).join('\n')}`, { problems });
  }
}
