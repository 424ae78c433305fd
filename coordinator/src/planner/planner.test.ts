import { createModelClient } from '@coordinate/model';
import { Plan } from '@coordinate/plan';
import { emptyUsage } from '@coordinate/protocol';
import { startScriptedServer, submitPlan, text, turn, type PlanArgs, type Scenario, type ScriptedServer } from '@coordinate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { draftPlan, revisePlan } from './draft-plan.js';
import { PlanningError } from './errors.js';
import { LEAST_OUTPUT_TOKENS } from './plan-conversation.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function planner(turns: Scenario['planner']) {
  server = await startScriptedServer({ scenario: { planner: turns } });
  return createModelClient({ apiKey: 'test-key', baseURL: server.url, timeoutMs: 5_000 });
}

const task = (id: string, role: 'research' | 'implement' | 'verify', dependsOn: string[] = []) => ({ id, title: `Task ${id}`, role, instructions: `do ${id}`, dependsOn });
const validPlan: PlanArgs = {
  goal: 'Fix add',
  summary: 'find, fix, verify',
  tasks: [task('find', 'research'), task('fix', 'implement', ['find']), task('check', 'verify', ['fix'])],
};
const cyclicPlan: PlanArgs = { ...validPlan, tasks: [task('fix', 'implement', ['check']), task('check', 'verify', ['fix'])] };
const base = { model: 'claude-opus-5-5', goal: 'Fix add', overview: 'Repository: sample\nTest command: npm test' };

type Body = { max_tokens: number; tool_choice: unknown; tools: { name: string; input_schema: { properties: Record<string, unknown> } }[]; messages: { role: string; content: unknown }[] };
const body = (i: number) => server!.requests[i]!.body as Body;

describe('draftPlan', () => {
  it('returns a valid plan submitted through the forced submit_plan tool', async () => {
    const client = await planner([turn(submitPlan(validPlan))]);
    const { plan, usage } = await draftPlan({ client, ...base, memory: ['tests run with node --test'] });
    expect(plan.tasks.map((t) => t.id)).toEqual(['find', 'fix', 'check']);
    expect(usage.requests).toBe(1);
    expect(body(0).tool_choice).toEqual({ type: 'tool', name: 'submit_plan' });
    expect(Object.keys(body(0).tools[0]!.input_schema.properties)).toEqual(expect.arrayContaining(['goal', 'summary', 'tasks', 'risks']));
    const opening = JSON.stringify(body(0).messages[0]);
    for (const part of ['Fix add', 'Test command: npm test', 'tests run with node --test']) expect(opening).toContain(part);
  });

  it('sends a plan with a cycle back with its problem and accepts the repaired one', async () => {
    const client = await planner([turn(submitPlan(cyclicPlan)), turn(submitPlan(validPlan))]);
    const { plan, usage } = await draftPlan({ client, ...base });
    expect(plan.tasks).toHaveLength(3);
    expect(usage.requests).toBe(2);
    const feedback = JSON.stringify(body(1).messages.at(-1));
    expect(feedback).toContain('"is_error":true');
    expect(feedback).toContain('cycle');
  });

  it('fails with a clear error naming the problems when the plan is never repaired', async () => {
    const unverified: PlanArgs = { ...validPlan, tasks: [task('fix', 'implement'), { ...task('odd', 'research'), role: 'deploy' }] };
    const client = await planner([turn(submitPlan(cyclicPlan)), turn(submitPlan(cyclicPlan)), turn(submitPlan(unverified))]);
    const error = await draftPlan({ client, ...base, maxRepairs: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanningError);
    expect(error).toMatchObject({ code: 'plan_invalid' });
    expect((error as Error).message).toContain('after 2 repairs');
    expect((error as Error).message).toContain('`tasks[1].role`: must be one of research, implement, verify; got "deploy"');
    // the first answers' problem is named too, once, though the last answer had another
    expect((error as Error).message.match(/cycle/g)).toHaveLength(1);
    expect(server!.requests).toHaveLength(3);
  });

  it('names an implementation that no verify task checks', async () => {
    const client = await planner([turn(submitPlan({ ...validPlan, tasks: [task('fix', 'implement')] }))]);
    const error = await draftPlan({ client, ...base, maxRepairs: 0 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/implementation task "fix" is not checked by any verify task/);
  });

  it('fails as model_api_unavailable, which a resume can continue, when the model stays unreachable', async () => {
    server = await startScriptedServer({ scenario: {}, faults: { rate: 1, kinds: [{ kind: 'overloaded' }] } });
    const client = createModelClient({ apiKey: 'k', baseURL: server.url });
    const retries: number[] = [];
    const error = await draftPlan({ client, ...base, retry: { maxRetries: 1, sleep: async () => {} }, onRetry: (e) => retries.push(e.attempt) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'model_api_unavailable' });
    expect(retries).toEqual([2]);
  });
});

describe('the run budget while planning', () => {
  const budget = (limits: { maxCostUsd?: number; maxTokens?: number }) => ({ limits, spent: emptyUsage() });

  it('lowers the output limit to what a tight budget leaves, so a small --max-cost can still plan', async () => {
    const client = await planner([turn(submitPlan(validPlan))]);
    // opus output is $25 per million tokens: $0.2 leaves room for fewer than 16,000 but more than 4,000
    const { plan } = await draftPlan({ client, ...base, budget: budget({ maxCostUsd: 0.2 }) });
    expect(plan.tasks).toHaveLength(3);
    expect(body(0).max_tokens).toBeGreaterThanOrEqual(LEAST_OUTPUT_TOKENS);
    expect(body(0).max_tokens).toBeLessThan(16_000);
  });

  it('checks every repair against the budget and sends none it cannot cover', async () => {
    // a long first answer: its tokens, spent and then carried in the repair's prompt, leave no room for another
    const verbose: PlanArgs = { ...cyclicPlan, summary: 'a very long summary. '.repeat(1_500) };
    const client = await planner([turn(submitPlan(verbose)), turn(submitPlan(validPlan))]);
    const error = await draftPlan({ client, ...base, budget: budget({ maxTokens: 18_000 }) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'budget_exhausted', data: { budget: 'maxTokens' } });
    expect((error as Error).message).toMatch(/^the planner's request was not sent: the token budget \(maxTokens = 18000\) would be passed/);
    expect(server!.requests).toHaveLength(1);
  });

  it('sends nothing when even a short plan would pass the budget, and says which budget', async () => {
    const client = await planner([turn(submitPlan(validPlan))]);
    const error = await draftPlan({ client, ...base, budget: budget({ maxCostUsd: 0.01 }) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'budget_exhausted', data: { budget: 'maxCostUsd' } });
    expect(server!.requests).toHaveLength(0);
  });

  it('names a cut-off answer among the problems', async () => {
    // the server stops the answer at max_tokens before the tool call is complete
    const client = await planner([{ ...turn(text('Here is the plan: tasks 1 to')), stopReason: 'max_tokens' }]);
    const error = await draftPlan({ client, ...base, maxRepairs: 0, budget: budget({ maxCostUsd: 0.2 }) }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/the answer was cut off at its output limit of \d+ tokens, lowered to fit the budget/);
  });
});

describe('revisePlan', () => {
  it('revises the given plan following the feedback', async () => {
    const revised: PlanArgs = { ...validPlan, tasks: [...validPlan.tasks, task('docs', 'implement', ['fix']), task('check-docs', 'verify', ['docs'])] };
    const client = await planner([turn(submitPlan(validPlan)), turn(submitPlan(revised))]);
    const { plan } = await revisePlan({ client, ...base, plan: Plan.parse(validPlan), feedback: 'Also update the README.' });
    expect(plan.tasks.map((t) => t.id)).toContain('docs');
    const sent = JSON.stringify(body(0).messages);
    expect(sent).toContain('Also update the README.');
    expect(sent).toContain('"name":"submit_plan"');
    expect(server!.requests[0]!.turnIndex).toBe(1);
  });
});
