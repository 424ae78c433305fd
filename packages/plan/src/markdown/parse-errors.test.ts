import { describe, expect, it } from 'vitest';
import { parsePlanMarkdown, PlanMarkdownError, renderPlanMarkdown, type PlanMarkdownProblem } from './index.js';

function problemsOf(text: string): PlanMarkdownProblem[] {
  try {
    parsePlanMarkdown(text);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanMarkdownError);
    expect((error as PlanMarkdownError).code).toBe('plan_syntax');
    return (error as PlanMarkdownError).problems;
  }
  throw new Error('expected the plan to be rejected');
}

const doc = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('plan.md errors', () => {
  it('lists every problem of a broken edit with its line number, in line order', () => {
    const problems = problemsOf(
      doc(
        '# Goal', // 1
        '', // 2
        '## a: First', // 3
        '- Role: implementer', // 4
        '- Owner: me', // 5
        '### Instructions', // 6
        '## b: Second', // 7
        '- Depends on: a', // 8
        'stray words', // 9
        '### Instructions', // 10
        'Do it.', // 11
        '## c: "unclosed', // 12
        '- Role: verify', // 13
        '### Instructions', // 14
      ),
    );
    expect(problems.map((p) => p.line)).toEqual([4, 5, 7, 9, 12]);
    expect(problems[0]!.message).toBe('task "a": role: must be one of research, implement, verify; got "implementer"');
    expect(problems[1]!.message).toMatch(/unknown field "Owner"/);
    expect(problems[2]!.message).toMatch(/task "b": missing the "- Role/);
    expect(problems[3]!.message).toMatch(/"stray words" is not a field/);
    expect(problems[4]!.message).toMatch(/not a valid JSON string/);
  });

  it('puts the line numbers into the error message a person reads', () => {
    expect(() => parsePlanMarkdown(doc('# G', '## a: A', '- Role: boss', '### Instructions'))).toThrow(/line 3: task "a": role: must be one of research, implement, verify; got "boss"/);
  });

  it('names a duplicate id at its second heading and an unknown dependency at its "Depends on" line', () => {
    const problems = problemsOf(
      doc('# G', '## a: A', '- Role: research', '### Instructions', '## a: Again', '- Role: research', '- Depends on: ghost', '### Instructions'),
    );
    expect(problems).toEqual([
      { line: 5, message: 'task id "a" is used more than once' },
      { line: 7, message: 'task "a" depends on "ghost", which is not a task of the plan' },
    ]);
  });

  it('names a cycle at the line where it closes', () => {
    const problems = problemsOf(
      doc('# G', '## a: A', '- Role: research', '- Depends on: b', '### Instructions', '## b: B', '- Role: research', '- Depends on: a', '### Instructions'),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/cycle/);
    expect([4, 8]).toContain(problems[0]!.line);
  });

  it('maps a schema failure back to the line of the value, such as a bad task id or an empty list item', () => {
    const problems = problemsOf(doc('# G', '## bad/id: A', '- Role: research', '- Files:', '  - ""', '### Instructions'));
    expect(problems.map((p) => p.line)).toEqual([2, 5]);
    expect(problems[0]!.message).toMatch(/task "bad\/id": id: use letters, digits/);
    expect(problems[1]!.message).toMatch(/files item 1/);
  });

  it('asks for a goal heading and at least one task', () => {
    expect(problemsOf('just some words\n')).toEqual([{ line: 1, message: 'expected the goal as a "# <goal>" heading here, found "just some words"' }]);
    expect(problemsOf(doc('<!-- note -->', '# G', 'summary'))[0]!.message).toMatch(/at least one task/);
  });

  it('rejects a section heading that is not a task and an item outside a list', () => {
    const problems = problemsOf(doc('# G', '## Notes', 'text', '## a: A', '- Role: verify', '  - loose', '### Instructions'));
    expect(problems.map((p) => [p.line, p.message.slice(0, 30)])).toEqual([
      [2, '"## Notes" is not a task headi'],
      [6, 'task "a": "loose" is an indent'],
    ]);
  });

  it('reads back an edit of a rendered plan that only changed a role', () => {
    const text = renderPlanMarkdown({ goal: 'G', summary: '', tasks: [{ id: 'a', title: 'A', role: 'research', instructions: 'x', dependsOn: [] }] });
    expect(parsePlanMarkdown(text.replace('- Role: research\n', '- Role: implement\n')).tasks[0]!.role).toBe('implement');
  });
});
