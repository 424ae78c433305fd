import type { CommandLauncher } from '@coordinate/sandbox';
import { failure, success, type ToolOutcome } from '../outcome.js';
import { runCommand } from '../run-command.js';
import type { RunCommandInput } from '../schemas.js';

export interface CommandToolContext {
  /** Starts commands in the task's OS sandbox; rejects with SandboxUnavailableError when none can be made. */
  launcher(): Promise<CommandLauncher>;
  defaultTimeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export async function runCommandTool(input: RunCommandInput, ctx: CommandToolContext): Promise<ToolOutcome> {
  const launcher = await ctx.launcher();
  const result = await runCommand(input.command, {
    cwd: launcher.cwd,
    launcher,
    timeoutMs: input.timeout_ms ?? ctx.defaultTimeoutMs,
    maxOutputBytes: ctx.maxOutputBytes,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const headline = result.timedOut ? `exit code ${result.exitCode} (timed out)` : `exit code ${result.exitCode}`;
  const content = `${headline}\n${result.output || '(no output)'}`;
  const shortCommand = input.command.length > 80 ? `${input.command.slice(0, 77)}…` : input.command;
  const summary = `\`${shortCommand}\` → ${headline} in ${(result.durationMs / 1000).toFixed(1)}s`;
  return { ...(result.exitCode === 0 ? success(content, summary) : failure(content, summary)), exitCode: result.exitCode };
}
