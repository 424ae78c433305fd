import { z } from 'zod';
import { TaskSpec, Evidence } from '@coordinate/protocol';

export const TextBlock = z.object({ type: z.literal('text'), text: z.string() });
export const ToolUseBlock = z.object({
  type: z.literal('tool_use'),
  name: z.string().min(1).max(64),
  input: z.record(z.string(), z.unknown()),
});
export const ScriptedBlock = z.discriminatedUnion('type', [TextBlock, ToolUseBlock]);
export type ScriptedBlock = z.infer<typeof ScriptedBlock>;

export const StopReason = z.enum(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence', 'refusal', 'pause_turn']);
export type StopReason = z.infer<typeof StopReason>;

/** One answer of the scripted model. Without a stop reason it is `tool_use` when a tool is called, else `end_turn`. */
export const Turn = z.object({
  content: z.array(ScriptedBlock).min(1),
  stopReason: StopReason.optional(),
  /** Wait this long before answering, as a model that thinks would. */
  delayMs: z.number().int().nonnegative().max(600_000).optional(),
});
export type Turn = z.infer<typeof Turn>;

/**
 * What the scripted model answers. A request is the planner's when its tools include `submit_plan`,
 * else it belongs to the task named by a `Task id: <id>` line; the turn index is the number of
 * assistant messages already in the request, so a retried request gets the same answer.
 */
export const Scenario = z.object({
  planner: z.array(Turn).optional(),
  tasks: z.record(z.string(), z.array(Turn)).optional(),
  /**
   * Other turns for a task whose prompt (first user message) contains `whenPromptIncludes`, checked
   * before `tasks`: an attempt told something new (a merge conflict) can answer differently.
   */
  variants: z.array(z.object({ taskId: z.string().min(1), whenPromptIncludes: z.string().min(1), turns: z.array(Turn) })).optional(),
  fallback: z.array(Turn).optional(),
});
export type Scenario = z.infer<typeof Scenario>;

export const text = (s: string): ScriptedBlock => ({ type: 'text', text: s });

export const toolUse = (name: string, input: Record<string, unknown>): ScriptedBlock => ({ type: 'tool_use', name, input });

/** The input of the worker tool `complete_task`, as DESIGN.md names it. */
export interface CompleteTaskArgs {
  status: 'succeeded' | 'failed';
  summary: string;
  details?: string;
  evidence?: Evidence[];
  /** With status "failed": the leased file the attempt ends to wait for. */
  waitsFor?: string;
}

export const completeTask = (args: CompleteTaskArgs): ScriptedBlock => toolUse('complete_task', { ...args });

/** The input of the planner tool `submit_plan`; kept loose here so tests can script invalid plans too. */
export interface PlanArgs {
  goal: string;
  summary: string;
  tasks: (Omit<Partial<TaskSpec>, 'role'> & { role?: string } & Record<string, unknown>)[];
  risks?: string[];
}

export const submitPlan = (plan: PlanArgs): ScriptedBlock => toolUse('submit_plan', { ...plan });

/** A turn made of the given blocks. */
export const turn = (...content: ScriptedBlock[]): Turn => ({ content });
