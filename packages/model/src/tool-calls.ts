import type Anthropic from '@anthropic-ai/sdk';
import type { ProgressEvent } from '@coordinate/protocol';
import { clip } from './clip.js';
import type { ToolCall } from './stream-turn.js';

/**
 * What a tool gives back: `content` goes to the model; `summary` (default: content) and `diff` to
 * the progress event. `denied` marks a refusal by policy, reported as a `denied` event.
 */
export interface ToolExecution {
  content: string;
  isError: boolean;
  summary?: string;
  diff?: string;
  denied?: boolean;
}

export type ExecuteTool = (name: string, input: Record<string, unknown>, signal: AbortSignal) => Promise<ToolExecution>;

async function runOne(call: ToolCall, executeTool: ExecuteTool, signal: AbortSignal): Promise<ToolExecution> {
  if (call.input === undefined) {
    return { content: `Tool ${call.name} was not run: ${call.inputError ?? 'invalid input'}. Send the call again with a valid JSON object.`, isError: true };
  }
  try {
    return await executeTool(call.name, call.input, signal);
  } catch (error) {
    return { content: `Tool ${call.name} failed: ${error instanceof Error ? error.message : String(error)}`, isError: true };
  }
}

/**
 * Runs the tool calls of one turn concurrently and answers each with a `tool_result`, in the
 * order of the calls. A tool that throws, or input that does not parse, becomes an `is_error`
 * result the model can read; nothing here ends the loop.
 */
export async function runToolCalls(
  calls: ToolCall[],
  executeTool: ExecuteTool,
  signal: AbortSignal,
  report: (event: ProgressEvent) => void,
): Promise<Anthropic.ToolResultBlockParam[]> {
  return Promise.all(
    calls.map(async (call) => {
      report({ kind: 'tool_call', tool: clip(call.name, 64), input: clip(JSON.stringify(call.input ?? null), 4000) });
      const result = await runOne(call, executeTool, signal);
      report(
        result.denied
          ? { kind: 'denied', tool: clip(call.name, 64), reason: clip(result.content, 4000) }
          : {
              kind: 'tool_result',
              tool: clip(call.name, 64),
              ok: !result.isError,
              summary: clip(result.summary ?? result.content, 4000),
              ...(result.diff ? { diff: clip(result.diff, 20_000) } : {}),
            },
      );
      return { type: 'tool_result' as const, tool_use_id: call.id, content: result.content, ...(result.isError ? { is_error: true } : {}) };
    }),
  );
}
