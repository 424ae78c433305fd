import { z } from 'zod';
import { CoordinateError, defineError } from '@coordinate/protocol';

// Codes the person fixes by changing the command, the config, a plan or their setup: exit code 2.
defineError('plan_syntax', z.unknown(), { retryable: false, exit: 'usage' });

/** One thing wrong with an edited plan.md, at a 1-based line of the person's text. */
export interface PlanMarkdownProblem {
  line: number;
  message: string;
}

export class PlanMarkdownError extends CoordinateError {
  /** In line order, so the person reads them top to bottom. */
  readonly problems: PlanMarkdownProblem[];

  constructor(problems: PlanMarkdownProblem[]) {
    const sorted = [...problems].sort((a, b) => a.line - b.line);
    super('plan_syntax', `plan.md has ${sorted.length === 1 ? 'a problem' : `${sorted.length} problems`}:\n${sorted.map((p) => `  line ${p.line}: ${p.message}`).join('\n')}`, {
      problems: sorted,
    });
    this.problems = sorted;
  }
}
