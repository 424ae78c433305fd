import type { MessagesRequest } from './request.js';
import { messageTexts, systemTexts } from './request.js';
import type { Scenario, Turn } from './scenario.js';

export type Route = 'planner' | 'task' | 'fallback';

export interface ScriptedAnswer {
  route: Route;
  taskId?: string;
  turnIndex: number;
  turn: Turn;
}

const TASK_ID_LINE = /^Task id: ([A-Za-z0-9][A-Za-z0-9_-]*)\s*$/m;

const EXHAUSTED: Turn = {
  content: [{ type: 'text', text: 'The scripted conversation has no more turns.' }],
  stopReason: 'end_turn',
};

function taskIdOf(request: MessagesRequest): string | undefined {
  const firstUser = request.messages.find((m) => m.role === 'user');
  for (const text of [...systemTexts(request.system), ...messageTexts(firstUser)]) {
    const match = TASK_ID_LINE.exec(text);
    if (match) return match[1];
  }
  return undefined;
}

/** Which scripted turn answers this request; deterministic, so a retried request gets the same answer. */
export function answerFor(scenario: Scenario, request: MessagesRequest): ScriptedAnswer {
  const turnIndex = request.messages.filter((m) => m.role === 'assistant').length;
  const pick = (turns: Turn[] | undefined) => turns?.[turnIndex] ?? EXHAUSTED;
  if (request.tools?.some((tool) => tool.name === 'submit_plan')) {
    return { route: 'planner', turnIndex, turn: pick(scenario.planner) };
  }
  const taskId = taskIdOf(request);
  const prompt = messageTexts(request.messages.find((m) => m.role === 'user')).join('\n');
  const variant = scenario.variants?.find((v) => v.taskId === taskId && prompt.includes(v.whenPromptIncludes));
  const script = taskId === undefined ? undefined : (variant?.turns ?? scenario.tasks?.[taskId]);
  if (taskId !== undefined && script) return { route: 'task', taskId, turnIndex, turn: pick(script) };
  return { route: 'fallback', ...(taskId === undefined ? {} : { taskId }), turnIndex, turn: pick(scenario.fallback) };
}
