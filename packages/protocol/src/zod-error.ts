import { z } from 'zod';
import { closestBranch, fieldPath, unionKinds } from './zod-words.js';

/** One problem of a zod error, in plain words. */
export interface ZodProblem {
  /** Where it is, from the root of what was parsed (with the caller's `at` in front). */
  path: PropertyKey[];
  /** What is wrong, as a predicate on that field: `must be text, not a number (42)`. */
  message: string;
  /** Both as one line: `` `commands.test`: must be text, not a number (42) `` (no path part at the root). */
  text: string;
}

/**
 * Each problem of a zod error as a sentence naming its field (`tasks[2].role`). A union the value
 * matched no branch of is explained by the branch it came closest to. The words come from the
 * plain-words map every parse uses (zod-words.ts); messages a schema states itself are kept.
 * `at` is put in front of every path (the key the parsed value sits at in a larger file).
 */
export function zodProblems(error: z.ZodError | readonly z.core.$ZodIssue[], at: readonly PropertyKey[] = []): ZodProblem[] {
  const issues = error instanceof z.ZodError ? error.issues : error;
  return issues.flatMap((issue): ZodProblem[] => {
    const path = [...at, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0 && !unionKinds(issue.errors)) return zodProblems(closestBranch(issue.errors), path);
    return [{ path, message: issue.message, text: path.length > 0 ? `\`${fieldPath(path)}\`: ${issue.message}` : issue.message }];
  });
}

/**
 * A zod error as one line for a person: the first `max` problems (default 5) joined with "; ",
 * then how many more. Never zod's own wording: see zodProblems.
 */
export function formatZodError(error: z.ZodError | readonly z.core.$ZodIssue[], options: { max?: number; at?: readonly PropertyKey[] } = {}): string {
  const { max = 5, at = [] } = options;
  const problems = zodProblems(error, at);
  const more = problems.length - max;
  return `${problems
    .slice(0, max)
    .map((problem) => problem.text)
    .join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}
