import type { Plan } from '@coordinate/plan';
import { describe, expect, it } from 'vitest';
import { ESTIMATE_ASSUMPTIONS, estimatePlanCost, renderPlanGraph, splitCommandLine } from './index.js';
import { priorTaskTokens } from './estimate.js';

const task = (id: string, role: 'research' | 'implement' | 'verify', dependsOn: string[] = []) => ({ id, title: `Title ${id}`, role, instructions: '', dependsOn });
const plan: Plan = {
  goal: 'Ship the feature',
  summary: 'Two parallel strands.',
  risks: ['Flaky tests'],
  tasks: [task('a', 'research'), task('b', 'research'), task('c', 'implement', ['a']), task('d', 'implement', ['c']), task('v', 'verify', ['d', 'b'])],
};

describe('renderPlanGraph', () => {
  it('groups tasks into waves, marks the critical path and shows what each task waits for', () => {
    const text = renderPlanGraph(plan);
    expect(text).toContain('Wave 1 (2 tasks in parallel)');
    expect(text).toMatch(/★ a\s+\[research\]\s+Title a/);
    expect(text).toMatch(/\n {4}b\s+\[research\]\s+Title b/);
    expect(text).toMatch(/★ v\s+\[verify\]\s+Title v {2}← d, b/);
    expect(text).toContain('★ critical path: a → c → d → v (4 of 5 tasks)');
    expect(text).toContain('Risks:\n  - Flaky tests');
    expect(text).not.toContain('\x1b[');
  });

  it('shows what each task will do, accept, run and touch, one line each', () => {
    const detailed: Plan = {
      ...plan,
      tasks: [{ ...task('a', 'implement'), instructions: 'Make add return the sum.\nMore text.', acceptance: ['add(2, 3) is 5'], commands: ['npm test'], files: ['src/math.js'] }],
    };
    const text = renderPlanGraph(detailed);
    expect(text).toMatch(/\n +does {3}Make add return the sum\.\n/);
    expect(text).toMatch(/\n +accept add\(2, 3\) is 5\n/);
    expect(text).toMatch(/\n +runs {3}npm test\n/);
    expect(text).toMatch(/\n +files {2}src\/math\.js\n/);
  });

  it('warns when the upper end of the estimate passes a budget, and not when it fits', () => {
    const estimate = estimatePlanCost(plan, { prices: { m: { input: 3, output: 15 } }, models: 'm' });
    const over = renderPlanGraph(plan, { estimate, budgets: { maxCostUsd: estimate.highUsd! / 2 } });
    expect(over).toContain('Warning: the estimate reaches');
    expect(over).toContain('raise --max-cost');
    const fits = renderPlanGraph(plan, { estimate, budgets: { maxCostUsd: estimate.highUsd! * 2, maxTokens: estimate.tokens * 10 } });
    expect(fits).not.toContain('Warning');
  });

  it('adds the cost estimate and colors only when asked', () => {
    const estimate = estimatePlanCost(plan, { prices: { m: { input: 3, output: 15 } }, models: 'm' });
    const text = renderPlanGraph(plan, { estimate, color: true });
    expect(text).toMatch(/Estimate: ~\$\d+\.\d\d \(\$\d+\.\d\d to \$\d+\.\d\d\), ~[\d.]+[kM]? tokens/);
    expect(text).toContain('\x1b[');
  });
});

describe('estimatePlanCost', () => {
  it('prices each task by the turns its shape asks for, at its model\'s prices, and adds what planning spent', () => {
    const one: Plan = { goal: 'g', summary: '', tasks: [{ ...task('v', 'verify'), commands: ['npm test', 'npm run lint'] }] };
    const tokens = priorTaskTokens(one).get('v')!;
    // two commands and the closing complete_task: three turns, each answered with the prior's output
    expect(tokens.outputTokens).toBe(3 * ESTIMATE_ASSUMPTIONS.outputTokens);
    const price = { input: 1, output: 10, cacheWrite: 2, cacheRead: 0.5 };
    const expected = (tokens.outputTokens * 10 + tokens.cacheWriteTokens * 2 + tokens.cacheReadTokens * 0.5) / 1e6;
    const spent = { inputTokens: 100, outputTokens: 10, cacheWriteTokens: 0, cacheReadTokens: 0, requests: 1, costUsd: 0.01 };
    const estimate = estimatePlanCost(one, { prices: { small: price }, models: { verify: 'small' }, spent });
    expect(estimate.costUsd).toBeCloseTo(0.01 + expected, 10);
    expect(estimate.lowUsd).toBeCloseTo(0.01 + expected / 2, 10);
    expect(estimate.highUsd).toBeCloseTo(0.01 + expected * 2, 10);
    expect(renderPlanGraph(one, { estimate })).toContain('$0.01 of it spent planning');
  });

  it("prices a declared file by what the task will do with it: a new file is written once, an existing one read at its size and edited", () => {
    const prices = { m: { input: 3, output: 15 } };
    const editing = (file: string): Plan => ({ goal: 'g', summary: '', tasks: [{ ...task('c', 'implement'), files: [file] }] });
    const fileSizes = new Map([['src/small.js', 400], ['src/large.js', 40_000]]);
    const cost = (file: string) => estimatePlanCost(editing(file), { prices, models: 'm', fileSizes }).costUsd!;
    // write, complete: two turns; read, edit, complete: three
    expect(priorTaskTokens(editing('src/new.js'), undefined, fileSizes).get('c')!.outputTokens).toBe(2 * ESTIMATE_ASSUMPTIONS.outputTokens);
    expect(priorTaskTokens(editing('src/small.js'), undefined, fileSizes).get('c')!.outputTokens).toBe(3 * ESTIMATE_ASSUMPTIONS.outputTokens);
    expect(cost('src/new.js')).toBeLessThan(cost('src/small.js'));
    expect(cost('src/small.js')).toBeLessThan(cost('src/large.js'));
    // without the repository's files every declared file counts as one to read and edit
    expect(priorTaskTokens(editing('src/new.js')).get('c')!.outputTokens).toBe(3 * ESTIMATE_ASSUMPTIONS.outputTokens);
  });

  it('scales a role by what past runs measured for it, and says so', () => {
    const prices = { m: { input: 3, output: 15 } };
    const plain = estimatePlanCost(plan, { prices, models: 'm' });
    const calibrated = estimatePlanCost(plan, { prices, models: 'm', calibration: { implement: 0.5 } });
    const implement = estimatePlanCost({ ...plan, tasks: plan.tasks.filter((t) => t.role === 'implement') }, { prices, models: 'm' });
    expect(calibrated.costUsd).toBeCloseTo(plain.costUsd! - implement.costUsd! / 2, 10);
    expect(renderPlanGraph(plan, { estimate: calibrated })).toContain("implement tasks priced from this repository's past runs");
  });

  it('names the models it has no price for instead of guessing', () => {
    const estimate = estimatePlanCost(plan, { prices: { big: { input: 15, output: 75 } }, models: { research: 'big', implement: 'mystery', verify: 'big' } });
    expect(estimate.costUsd).toBeUndefined();
    expect(estimate.unpricedModels).toEqual(['mystery']);
    expect(renderPlanGraph(plan, { estimate })).toContain('cost unknown (no price for mystery');
  });
});

describe('splitCommandLine', () => {
  it('splits an editor setting like a shell would', () => {
    expect(splitCommandLine('code --wait')).toEqual(['code', '--wait']);
    expect(splitCommandLine('"/Applications/My Editor" -w')).toEqual(['/Applications/My Editor', '-w']);
    expect(splitCommandLine("vim -c 'set ft=markdown'")).toEqual(['vim', '-c', 'set ft=markdown']);
    expect(splitCommandLine('a\\ b "c\\"d" \'\'')).toEqual(['a b', 'c"d', '']);
    expect(splitCommandLine('   ')).toEqual([]);
  });
});
