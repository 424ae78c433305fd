import { CommanderError } from 'commander';
import { CoordinateError, ExitCode } from '@coordinate/protocol';

const HINTS: Record<string, string> = {
  invalid_config: 'fix the file named above; every key is described in docs/config.md',
  plan_syntax: 'fix the lines named above; the format is described at the top of plan.md and in docs/plan-format.md',
  invalid_plan: 'fix the tasks named above in the plan file',
  plan_invalid: 'try again with a more specific task, or write the plan yourself and run `coordinate run plan.md`',
  planner_request_failed: 'check ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL and your network, then try again',
  model_api_unavailable: 'check that ANTHROPIC_BASE_URL names a running server that speaks the Messages API (unset it to use the Anthropic API), and your network or proxy',
  budget_exhausted: 'raise the budget (--max-cost, --max-tokens, or "budgets" in .coordinate/config.json)',
};

/** The exit code a command that failed with `error` ends with: the exit category its definition names. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CommanderError) return ExitCode.usage;
  if (!(error instanceof CoordinateError)) return ExitCode.taskFailed;
  return ExitCode[error.exit];
}

function hintFor(error: unknown): string | undefined {
  if (error instanceof CommanderError) return 'run `coordinate --help` (or `coordinate <command> --help`) to see what it takes';
  if (!(error instanceof CoordinateError)) return 'this looks like a bug in coordinate; run again with COORDINATE_DEBUG=1 to see where it happened';
  const data = error.data as { hint?: unknown } | undefined;
  if (typeof data?.hint === 'string') return data.hint;
  return HINTS[error.code];
}

/**
 * What the person reads when a command fails: one `coordinate: <message>` line (more when the
 * message itself lists problems) and a hint; the stack only with COORDINATE_DEBUG=1.
 */
export function describeFailure(error: unknown, env: NodeJS.ProcessEnv): string {
  const raw = error instanceof Error ? error.message : String(error);
  const message = error instanceof CommanderError ? raw.replace(/^error:\s*/, '') : raw;
  const lines = [`coordinate: ${message}`];
  const hint = hintFor(error);
  if (hint) lines.push(`hint: ${hint}`);
  if (env.COORDINATE_DEBUG === '1' && error instanceof Error && error.stack) lines.push(error.stack);
  return `${lines.join('\n')}\n`;
}
