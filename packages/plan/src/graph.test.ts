import { describe, expect, it } from 'vitest';
import { assertValidGraph, criticalPath, criticalPathRanks, findPlanProblems, PlanError, topologicalOrder, waves } from './index.js';

const t = (id: string, dependsOn: string[] = [], role: 'research' | 'implement' | 'verify' = 'research') => ({ id, dependsOn, role });

describe('graph checks', () => {
  it('accepts a valid diamond', () => {
    expect(findPlanProblems([t('a'), t('b', ['a']), t('c', ['a']), t('d', ['b', 'c'])])).toEqual([]);
  });

  it('names a duplicate id, an unknown dependency and a self-dependency', () => {
    const problems = findPlanProblems([t('a'), t('a'), t('b', ['ghost']), t('c', ['c'])]);
    expect(problems).toEqual(
      expect.arrayContaining([
        { kind: 'duplicate_id', id: 'a' },
        { kind: 'unknown_dependency', id: 'b', dependsOn: 'ghost' },
        { kind: 'self_dependency', id: 'c' },
      ]),
    );
  });

  it('names the tasks of a cycle in the error message', () => {
    const tasks = [t('a', ['c']), t('b', ['a']), t('c', ['b']), t('d')];
    expect(() => assertValidGraph(tasks)).toThrow(PlanError);
    expect(() => assertValidGraph(tasks)).toThrow(/cycle: a → c → b → a|cycle: .*a.*b.*c/);
  });

  it('finds a cycle at the end of a 20,000-task chain without overflowing the stack', () => {
    const tasks = Array.from({ length: 20_000 }, (_, i) => t(`n${i}`, i === 0 ? ['n19999'] : [`n${i - 1}`]));
    expect(findPlanProblems(tasks).map((p) => p.kind)).toEqual(['cycle']);
  });

  it('requires an implement task to be checked by a verify task when asked', () => {
    const tasks = [t('impl', [], 'implement'), t('other', [], 'implement'), t('check', ['impl'], 'verify')];
    expect(findPlanProblems(tasks, { requireVerification: true })).toEqual([{ kind: 'unverified_implementation', id: 'other' }]);
    expect(findPlanProblems(tasks)).toEqual([]);
  });
});

describe('ordering', () => {
  const tasks = [t('a'), t('b', ['a']), t('c', ['b']), t('d'), t('e', ['c', 'd'])];

  it('orders every task after its dependencies', () => {
    const order = topologicalOrder(tasks);
    for (const task of tasks) for (const dep of task.dependsOn) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(task.id));
  });

  it('ranks tasks by the longest weighted chain below them', () => {
    const ranks = criticalPathRanks(tasks, (id) => (id === 'd' ? 10 : 1));
    expect(Object.fromEntries(ranks)).toEqual({ a: 4, b: 3, c: 2, d: 11, e: 1 });
  });

  it('groups tasks into waves that can run in parallel', () => {
    expect(waves(tasks)).toEqual([['a', 'd'], ['b'], ['c'], ['e']]);
  });

  it('walks the critical path from start to end', () => {
    expect(criticalPath(tasks)).toEqual(['a', 'b', 'c', 'e']);
  });
});
