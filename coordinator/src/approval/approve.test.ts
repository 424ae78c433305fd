import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parsePlanMarkdown, type Plan } from '@coordinate/plan';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalError, approvePlan, draftFileOf, type ApprovePlanOptions } from './index.js';
import type { Prompter } from './prompter.js';

/**
 * A real editor: a node script that applies the next of its scripted steps to the file it is
 * given. A step may require text to be present first, to prove the editor reopened on the
 * person's own text.
 */
const EDITOR_SCRIPT = `
import { readFileSync, writeFileSync } from 'node:fs';
const [stepsFile, file] = process.argv.slice(2);
const state = JSON.parse(readFileSync(stepsFile, 'utf8'));
const step = state.steps[state.next++];
writeFileSync(stepsFile, JSON.stringify(state));
const text = readFileSync(file, 'utf8');
if (step.expect && !text.includes(step.expect)) { console.error('editor: expected ' + step.expect); process.exit(3); }
writeFileSync(file, text.replace(step.find, step.replace));
`;

const plan: Plan = {
  goal: 'Add rate limiting',
  summary: 'Limit login attempts.',
  tasks: [
    { id: 'explore', title: 'Find the handler', role: 'research', instructions: 'Look around.', dependsOn: [] },
    { id: 'limit', title: 'Add the limiter', role: 'implement', instructions: 'Add it.', dependsOn: ['explore'] },
    { id: 'check', title: 'Run the tests', role: 'verify', instructions: 'npm test', dependsOn: ['limit'] },
  ],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coordinate-approval-'));
  await writeFile(join(dir, 'editor.mjs'), EDITOR_SCRIPT);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function editorWith(steps: { find: string; replace: string; expect?: string }[]): Promise<string> {
  const stepsFile = join(dir, 'steps.json');
  await writeFile(stepsFile, JSON.stringify({ next: 0, steps }));
  return `"${process.execPath}" "${join(dir, 'editor.mjs')}" "${stepsFile}"`;
}

/**
 * The person's answers in order: a key for a choice, a line for feedback; past the last answer the
 * person cancels. (The terminal's own key handling is tested through the binary in a pty.)
 */
function answering(answers: string[], asked: string[]): Prompter {
  const next = () => answers.shift();
  return {
    choose: <K extends string>(message: string, choices: readonly { key: K }[]) => {
      asked.push(message);
      const key = next();
      if (key !== undefined && !choices.some((c) => c.key === key)) throw new Error(`"${key}" is not a choice of "${message}"`);
      return Promise.resolve(key as K | undefined);
    },
    line: (message: string) => {
      asked.push(message);
      return Promise.resolve(next());
    },
  };
}

function run(answers: string[], overrides: Partial<ApprovePlanOptions> = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const asked: string[] = [];
  const planFile = join(dir, 'run', 'plan.md');
  const result = approvePlan({
    plan,
    input,
    output,
    editor: 'false',
    revise: () => Promise.reject(new Error('not expected')),
    isTTY: true,
    yes: false,
    planFile,
    prompter: answering([...answers], asked),
    ...overrides,
  });
  return { result, planFile, printed: () => printed, asked };
}

describe('approvePlan', () => {
  it('shows the plan as waves and approves it on "a", writing plan.md', async () => {
    const { result, planFile, printed } = run(['a']);
    expect(await result).toEqual({ decision: 'approved', plan });
    expect(printed()).toContain('Wave 2');
    expect(printed()).toContain('critical path: explore → limit → check');
    expect(parsePlanMarkdown(await readFile(planFile, 'utf8'))).toEqual(plan);
  });

  it('shows a broken edit with its line numbers, reopens the editor on the person\'s text, and takes the fix', async () => {
    const editor = await editorWith([
      { find: '- Role: implement\n', replace: '- Role: implementer\n' },
      { expect: 'implementer', find: '- Role: implementer\n', replace: '- Role: research\n- Files:\n  - src/login.ts\n' },
    ]);
    const { result, planFile, printed, asked } = run(['e', 'y', 'a'], { editor });
    const decision = await result;
    expect(decision.decision).toBe('approved');
    const approved = (decision as { plan: Plan }).plan;
    expect(approved.tasks[1]).toMatchObject({ id: 'limit', role: 'research', files: ['src/login.ts'] });
    expect(printed()).toMatch(/line \d+: task "limit": role: must be one of research, implement, verify; got "implementer"/);
    expect(asked).toContain('Reopen the editor to fix it?');
    expect(printed()).toContain('+- Role: research');
    expect(printed()).toContain('-- Role: implement');
    expect(parsePlanMarkdown(await readFile(planFile, 'utf8'))).toEqual(approved);
  });

  it('keeps a broken edit the person gives up on in a draft file, and the last valid plan in plan.md', async () => {
    const editor = await editorWith([{ find: '## check: Run the tests', replace: '## check Run the tests' }]);
    const { result, planFile, printed } = run(['e', 'n', 'q'], { editor });
    expect(await result).toEqual({ decision: 'quit' });
    expect(await readFile(draftFileOf(planFile), 'utf8')).toContain('## check Run the tests');
    expect(parsePlanMarkdown(await readFile(planFile, 'utf8'))).toEqual(plan);
    expect(printed()).toContain('Your edit is saved in');
  });

  it('says so when the editor cannot be found, and asks again', async () => {
    const { result, printed } = run(['e', 'q'], { editor: join(dir, 'no-such-editor') });
    expect(await result).toEqual({ decision: 'quit' });
    expect(printed()).toMatch(/no-such-editor" was not found; set \$VISUAL or \$EDITOR/);
  });

  it('revises the plan with the person\'s feedback and shows the change as a diff', async () => {
    const seen: string[] = [];
    const revise = async (current: Plan, feedback: string) => {
      seen.push(feedback);
      return { ...current, tasks: current.tasks.map((t) => (t.id === 'check' ? { ...t, commands: ['npm test -- login'] } : t)) };
    };
    const { result, printed } = run(['r', 'also run the login tests', 'a'], { revise });
    const decision = await result;
    expect(seen).toEqual(['also run the login tests']);
    expect((decision as { plan: Plan }).plan.tasks[2]!.commands).toEqual(['npm test -- login']);
    expect(printed()).toContain('+- Commands:');
    expect(printed()).toContain('+  - npm test -- login');
  });

  it('shows the full plan text on "f" and asks again; a cancelled prompt quits', async () => {
    const { result, printed, asked } = run(['f']);
    expect(await result).toEqual({ decision: 'quit' });
    expect(printed()).toContain('## limit: Add the limiter');
    expect(printed()).toContain('Add it.');
    expect(asked).toEqual(['Run this plan?', 'Run this plan?']);
  });

  it('refuses without a terminal unless --yes is given', async () => {
    const refused = run([], { isTTY: false }).result;
    await expect(refused).rejects.toBeInstanceOf(ApprovalError);
    await expect(refused).rejects.toMatchObject({ code: 'needs_approval', message: expect.stringContaining('--yes') });
    const { result, planFile } = run([], { isTTY: false, yes: true });
    expect(await result).toEqual({ decision: 'approved', plan });
    expect(parsePlanMarkdown(await readFile(planFile, 'utf8'))).toEqual(plan);
  });
});
