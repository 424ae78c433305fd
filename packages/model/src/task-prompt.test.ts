import type { TaskContext, TaskSpec } from '@coordinate/protocol';
import { describe, expect, it } from 'vitest';
import { buildTaskPrompt } from './task-prompt.js';

const task: TaskSpec = {
  id: 'impl-limiter',
  title: 'Add a rate limiter to the API client',
  role: 'implement',
  instructions: 'Wrap fetch calls in a token bucket.',
  dependsOn: ['research-api'],
  acceptance: ['no more than 10 requests per second'],
  files: ['src/client.ts'],
  commands: ['npm test'],
};

const context = (summaryLength: number, memoryCount: number): Pick<TaskContext, 'dependencies' | 'memory'> => ({
  dependencies: [{ id: 'research-api', title: 'Study the API client', role: 'research', outcome: 'succeeded', summary: 'S'.repeat(summaryLength), notes: ['research-api/notes.md'] }],
  memory: Array.from({ length: memoryCount }, (_, i) => ({ id: `m${i}`, kind: 'convention' as const, summary: `memory entry number ${i} `.repeat(5) })),
});

describe('buildTaskPrompt', () => {
  it('puts the task id and title verbatim in the user prompt with its instructions, criteria, files and commands', () => {
    const { user } = buildTaskPrompt({ task, context: context(100, 2), tokenBudget: 4_000 });
    expect(user).toMatch(/^Task id: impl-limiter$/m);
    expect(user).toMatch(/^Title: Add a rate limiter to the API client$/m);
    for (const part of ['Wrap fetch calls in a token bucket.', 'no more than 10 requests per second', 'src/client.ts', 'npm test', 'research-api/notes.md', 'memory entry number 1']) {
      expect(user).toContain(part);
    }
  });

  it('names a merge conflict of the earlier attempt whole, even on a tight budget: the tasks met, each file and kind, both changes and where the work is kept', () => {
    const conflict = {
      attempt: 1,
      files: [{ path: 'src/format.js', kind: 'add/add' as const }],
      metTasks: [{ id: 'money', title: 'Add formatMoney' }],
      keptAt: 'coordinate/r1-impl-limiter-conflict1',
      ownPatch: '+export function formatDate() {}\n',
      runBranchChange: '+export function formatMoney() {}\n```\n',
    };
    const { user } = buildTaskPrompt({ task, context: { ...context(50_000, 5), conflict }, tokenBudget: 100 });
    for (const part of ['Attempt 1 of the conflicting task could not be merged', 'the work of money (Add formatMoney)', '- src/format.js (add/add)', 'coordinate/r1-impl-limiter-conflict1', '+export function formatDate() {}', '+export function formatMoney() {}']) {
      expect(user).toContain(part);
    }
    // A fence inside a patch cannot close the block it is quoted in.
    expect(user).toContain('````diff');
  });

  it('keeps one system prompt per role, so it can be cached across tasks', () => {
    const a = buildTaskPrompt({ task, context: context(10, 0), tokenBudget: 1_000 });
    const b = buildTaskPrompt({ task: { ...task, id: 'impl-other', title: 'Other' }, context: context(500, 3), tokenBudget: 1_000 });
    expect(a.system).toBe(b.system);
    expect(a.system).not.toContain('impl-limiter');
    expect(buildTaskPrompt({ task, role: 'verify', context: context(10, 0), tokenBudget: 1_000 }).system).toMatch(/evidence/);
    expect(buildTaskPrompt({ task, role: 'research', context: context(10, 0), tokenBudget: 1_000 }).system).not.toBe(a.system);
  });

  it('drops memory before dependency summaries when the budget is tight, and says what it left out', () => {
    const { user } = buildTaskPrompt({ task, context: context(1_200, 40), tokenBudget: 600 });
    expect(user.length).toBeLessThanOrEqual(600 * 4);
    expect(user).toContain('S'.repeat(1_200));
    expect(user).not.toContain('memory entry number 39');
    expect(user).toMatch(/Left out to fit the prompt budget: .*team memory entries/);
  });

  it('cuts a long dependency summary but never the task itself', () => {
    const { user } = buildTaskPrompt({ task: { ...task, instructions: 'I'.repeat(3_000) }, context: context(50_000, 5), tokenBudget: 1_500 });
    expect(user).toContain('I'.repeat(3_000));
    expect(user).toContain('(cut for length)');
    expect(user.length).toBeLessThanOrEqual(1_500 * 4);
  });
});
