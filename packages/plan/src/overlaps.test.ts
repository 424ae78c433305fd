import { describe, expect, it } from 'vitest';
import type { TaskSpec } from '@coordinate/protocol';
import { findOverlaps, parsePlanMarkdown, renderPlanMarkdown, serializationCost, serializeOverlaps, writeSetsMeet, type Plan } from './index.js';

const impl = (id: string, files: string[], dependsOn: string[] = []): TaskSpec => ({ id, title: id, role: 'implement', instructions: `do ${id}`, dependsOn, files });
const plan = (...tasks: TaskSpec[]): Plan => ({
  goal: 'g',
  summary: '',
  tasks: [...tasks, { id: 'check', title: 'check', role: 'verify', instructions: 'test', dependsOn: tasks.map((t) => t.id) }],
});

describe('write sets', () => {
  it('meet on the same path, on a glob that matches a path, and on a folder that holds it', () => {
    expect(writeSetsMeet('src/math.js', './src/math.js')).toBe(true);
    expect(writeSetsMeet('src/*.js', 'src/math.js')).toBe(true);
    expect(writeSetsMeet('src/', 'src/lib/math.js')).toBe(true);
    expect(writeSetsMeet('src/**', 'src/*.js')).toBe(true);
  });

  it('do not meet on different files or a glob that matches neither', () => {
    expect(writeSetsMeet('src/math.js', 'src/string.js')).toBe(false);
    expect(writeSetsMeet('lib/*.ts', 'src/math.ts')).toBe(false);
  });
});

describe('serializing overlaps', () => {
  it('makes the later of two parallel writers of one file wait for the earlier, with the reason', () => {
    const result = serializeOverlaps(plan(impl('T1', ['src/math.js']), impl('T2', ['src/math.js', 'src/b.js'])));
    expect(result.tasks.find((t) => t.id === 'T2')!.dependsOn).toEqual(['T1']);
    expect(result.serialized).toEqual([{ task: 'T2', waitsFor: 'T1', reason: 'both write src/math.js' }]);
    expect(findOverlaps(result.tasks)).toEqual([]);
  });

  it('turns three writers of one file into a chain, not a fan', () => {
    const result = serializeOverlaps(plan(impl('a', ['x.js']), impl('b', ['x.js']), impl('c', ['x.js'])));
    expect(result.serialized).toHaveLength(2);
    expect(findOverlaps(result.tasks)).toEqual([]);
    expect(serializationCost(result)).toEqual({ before: 2, after: 4 });
  });

  it('lets the earlier task wait when the later one heads a longer chain, so the critical path grows least', () => {
    // b heads b → b2 → b3; in plan order it would wait for a and stretch that chain to four tasks.
    const result = serializeOverlaps(plan(impl('a', ['x.js']), impl('b', ['x.js']), impl('b2', ['y.js'], ['b']), impl('b3', ['z.js'], ['b2'])));
    expect(result.serialized).toEqual([{ task: 'a', waitsFor: 'b', reason: 'both write x.js' }]);
    expect(serializationCost(result)).toEqual({ before: 4, after: 4 });
  });

  it('leaves tasks that already depend on each other, and disjoint writers, as they were', () => {
    const original = plan(impl('a', ['x.js']), impl('b', ['x.js'], ['a']), impl('c', ['y.js']));
    expect(serializeOverlaps(original)).toBe(original);
  });

  it('keeps waits with their reasons through plan.md, and drops a wait whose line the person deleted', () => {
    const serialized = serializeOverlaps(plan(impl('T1', ['src/math.js']), impl('T2', ['src/math.js'])));
    const text = renderPlanMarkdown(serialized);
    expect(text).toContain('- Depends on: (none)\n- Files:\n  - src/math.js\n- Waits for:\n  - T1: both write src/math.js');
    expect(parsePlanMarkdown(text)).toEqual(serialized);

    const edited = parsePlanMarkdown(text.replace('- Waits for:\n  - T1: both write src/math.js\n', ''));
    expect(edited.serialized).toBeUndefined();
    expect(edited.tasks.find((t) => t.id === 'T2')!.dependsOn).toEqual([]);
  });

  it('names a wait item without a task id at its line', () => {
    const text = renderPlanMarkdown(serializeOverlaps(plan(impl('T1', ['m.js']), impl('T2', ['m.js'])))).replace('  - T1: both write m.js', '  - waiting');
    expect(() => parsePlanMarkdown(text)).toThrow(/line \d+.*"waiting" is not a wait/);
  });
});
