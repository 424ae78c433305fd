import { describe, expect, it } from 'vitest';
import type { Plan } from '../schema.js';
import { parsePlanMarkdown, renderPlanMarkdown } from './index.js';

/** A small seeded generator (mulberry32), so a failing plan can be reproduced from its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]) => items[int(items.length)]!;
  return { next, int, pick };
}

const PIECES = [
  'a', 'word', 'Z', ' ', '  ', '#', '# ', '## ', '##', '###', '### Instructions', '\\', '\\## x', '"', "'", '`', '```ts', '```',
  '\n', '\n\n', '- Role: verify', '  - item', '- ', '(none)', '<!--', '-->', 'é', '漢字', '🙂', ':', ', ', '\t', '*', '>',
];

function generatePlan(seed: number): Plan {
  const r = random(seed);
  const text = (maxPieces: number) => Array.from({ length: r.int(maxPieces) }, () => r.pick(PIECES)).join('');
  const nonEmpty = (maxPieces: number) => {
    const value = text(maxPieces);
    return value.length > 0 ? value : 'x';
  };
  const list = () => (r.next() < 0.3 ? undefined : Array.from({ length: r.int(4) }, () => nonEmpty(6)));
  const count = 1 + r.int(6);
  const ids = Array.from({ length: count }, (_, i) => `${r.pick(['t', 'impl', 'R', '9'])}${i}${r.pick(['', '-a', '_b'])}`);
  const tasks = ids.map((id, i) => {
    const task: Plan['tasks'][number] = {
      id,
      title: nonEmpty(8).slice(0, 200),
      role: r.pick(['research', 'implement', 'verify'] as const),
      instructions: text(30),
      dependsOn: ids.slice(0, i).filter(() => r.next() < 0.4),
    };
    for (const key of ['files', 'commands', 'acceptance'] as const) {
      const items = list();
      if (items !== undefined) task[key] = items;
    }
    return task;
  });
  const plan: Plan = { goal: nonEmpty(10), summary: text(20), tasks };
  if (r.next() < 0.6) plan.risks = Array.from({ length: r.int(3) }, () => nonEmpty(6));
  return plan;
}

describe('plan.md round trip', () => {
  it('gives back exactly the plan it rendered, for 500 generated plans with code fences, # lines, empty lists and unicode', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const plan = generatePlan(seed);
      const markdown = renderPlanMarkdown(plan);
      let parsed: Plan;
      try {
        parsed = parsePlanMarkdown(markdown);
      } catch (error) {
        throw new Error(`seed ${seed} did not parse: ${(error as Error).message}\n${markdown}`, { cause: error });
      }
      expect(parsed, `seed ${seed}`).toEqual(plan);
    }
  });

  it('keeps an empty list apart from a missing one', () => {
    const plan: Plan = {
      goal: 'g',
      summary: '',
      risks: [],
      tasks: [{ id: 'a', title: 'A', role: 'research', instructions: '', dependsOn: [], files: [] }],
    };
    const parsed = parsePlanMarkdown(renderPlanMarkdown(plan));
    expect(parsed).toEqual(plan);
    expect(parsed.tasks[0]).not.toHaveProperty('acceptance');
  });

  it('writes a readable document: goal heading, summary, risks, one section per task', () => {
    const markdown = renderPlanMarkdown({
      goal: 'Add rate limiting to the login route',
      summary: 'Limit failed logins per IP.',
      risks: ['Shared NAT users may be locked out'],
      tasks: [
        { id: 'research', title: 'Find the login handler', role: 'research', instructions: 'Look in src/routes.', dependsOn: [] },
        {
          id: 'limit',
          title: 'Add the limiter',
          role: 'implement',
          instructions: 'Use a sliding window.\n\n```ts\n## not a heading\n```',
          dependsOn: ['research'],
          files: ['src/routes/login.ts'],
          acceptance: ['6th failed login within a minute gets 429'],
        },
        { id: 'check', title: 'Run the tests', role: 'verify', instructions: 'Run them.', dependsOn: ['limit'], commands: ['npm test'] },
      ],
    });
    expect(markdown).toContain('# Add rate limiting to the login route\n\nLimit failed logins per IP.\n');
    expect(markdown).toContain('## Risks\n\n- Shared NAT users may be locked out\n');
    expect(markdown).toContain(
      '## limit: Add the limiter\n\n- Role: implement\n- Depends on: research\n- Files:\n  - src/routes/login.ts\n- Acceptance:\n  - 6th failed login within a minute gets 429\n\n### Instructions\n\nUse a sliding window.',
    );
    expect(markdown).toContain('\\## not a heading');
    expect(markdown).toContain('- Depends on: (none)');
    expect(markdown.startsWith('<!--')).toBe(true);
  });

  it('reads a plan a person wrote by hand, with Windows line endings and loose spacing', () => {
    const text = [
      '# Ship it',
      'Short summary.',
      '## a:   First task  ',
      '* role: Research',
      '- Depends on:',
      '- Files: one.ts',
      '    - two.ts',
      '### instructions',
      'Do the thing.',
      '## b: Second',
      '- Role: verify',
      '- Depends on: a ,',
      '### Instructions',
      '',
    ].join('\r\n');
    expect(() => parsePlanMarkdown(text)).toThrow(/line 4: task "a": role: must be one of research, implement, verify; got "Research"/);
    const plan = parsePlanMarkdown(text.replace('Research', 'research'));
    expect(plan).toEqual({
      goal: 'Ship it',
      summary: 'Short summary.',
      tasks: [
        { id: 'a', title: 'First task', role: 'research', dependsOn: [], files: ['one.ts', 'two.ts'], instructions: 'Do the thing.' },
        { id: 'b', title: 'Second', role: 'verify', dependsOn: ['a'], instructions: '' },
      ],
    });
  });
});
