import { describe, expect, it } from 'vitest';
import { ceilingRefusal } from './tiers.js';

const context = { defaultBranch: 'main', protectedBranches: ['main', 'release'] };

describe('ceilingRefusal', () => {
  it('refuses merge and force-push whatever the branch', () => {
    expect(ceilingRefusal('merge', 'coordinate/x', context)).toMatch(/never merges/);
    expect(ceilingRefusal('force_push', 'coordinate/x', context)).toMatch(/never force-pushes/);
  });

  it('refuses a push to the default, a protected or a foreign branch, and allows one to its own', () => {
    expect(ceilingRefusal('push', 'main', context)).toMatch(/never pushes to main/);
    expect(ceilingRefusal('push', 'release', context)).toMatch(/never pushes to release/);
    expect(ceilingRefusal('push', 'feature', context)).toMatch(/not feature/);
    expect(ceilingRefusal('push', undefined, context)).toMatch(/must name/);
    expect(ceilingRefusal('push', 'coordinate/20261130-010203-ab12', context)).toBeUndefined();
  });

  it('leaves the other actions to the budgets', () => {
    expect(ceilingRefusal('fix', undefined, context)).toBeUndefined();
    expect(ceilingRefusal('comment', undefined, context)).toBeUndefined();
  });
});
