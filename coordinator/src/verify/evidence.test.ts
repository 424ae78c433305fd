import type { Evidence } from '@coordinate/protocol';
import { describe, expect, it } from 'vitest';
import { checkEvidence } from './evidence.js';
import { excerptAppearsIn } from './excerpt-match.js';

const testOutput = [
  '\u001b[32m✓\u001b[39m src/math.test.ts (3 tests) 12ms',
  '',
  ' Test Files  1 passed (1)',
  '      Tests  3 passed (3)',
  '   Duration  412ms',
].join('\n');

const passingRun: Evidence = { command: 'npm test', exitCode: 0, excerpt: testOutput };
const failingRun: Evidence = { command: 'npm test', exitCode: 1, excerpt: 'FAIL src/math.test.ts > adds\nAssertionError: expected 3 to be 4\n Tests  1 failed | 2 passed (3)' };

describe('checkEvidence', () => {
  it('verifies a claim that matches a command really run, despite different spacing and a truncated excerpt', () => {
    const check = checkEvidence({
      claimed: [{ command: 'npm   test ', exitCode: 0, excerpt: 'Test Files 1 passed (1)\n ... Tests 3 passed' }],
      commandsRun: [{ command: 'npx tsc --noEmit', exitCode: 0, excerpt: '' }, passingRun],
      outcome: 'succeeded',
    });
    expect(check).toEqual({ verified: true, items: [{ command: 'npm   test ', exitCode: 0, excerpt: 'Test Files 1 passed (1)\n ... Tests 3 passed', verified: true }] });
  });

  it('marks a claim of passing tests unverified when the command was never run, and fails the verdict naming it', () => {
    const check = checkEvidence({
      claimed: [{ command: 'npm test', exitCode: 0, excerpt: 'Tests 3 passed' }],
      commandsRun: [{ command: 'npx tsc --noEmit', exitCode: 0, excerpt: '' }],
      outcome: 'succeeded',
    });
    expect(check.verified).toBe(false);
    expect(check.items[0]).toMatchObject({ verified: false, reason: '"npm test" was never run' });
    expect(check.reason).toContain('"npm test" was never run');
  });

  it('rejects a claimed pass of a command that really failed', () => {
    const check = checkEvidence({
      claimed: [{ command: 'npm test', exitCode: 0, excerpt: 'Tests 3 passed' }],
      commandsRun: [failingRun],
      outcome: 'succeeded',
    });
    expect(check.verified).toBe(false);
    expect(check.items[0]?.reason).toBe('"npm test" is claimed to have exited with 0, but it exited with 1');
  });

  it('rejects a claimed pass when the command passed once but failed on its last run', () => {
    const check = checkEvidence({
      claimed: [{ command: 'npm test', exitCode: 0, excerpt: 'Tests 3 passed' }],
      commandsRun: [passingRun, failingRun],
      outcome: 'succeeded',
    });
    expect(check.verified).toBe(false);
    expect(check.items[0]?.reason).toBe('"npm test" is claimed to pass, but its last run exited with 1');
  });

  it('rejects an excerpt the command never printed', () => {
    const check = checkEvidence({
      claimed: [{ command: 'npm test', exitCode: 0, excerpt: 'Tests 40 passed (40)' }],
      commandsRun: [passingRun],
      outcome: 'succeeded',
    });
    expect(check.verified).toBe(false);
    expect(check.reason).toContain('the output quoted for "npm test" is not in what it printed');
  });

  it('fails a succeeded verification that gives no evidence at all', () => {
    const check = checkEvidence({ claimed: [], commandsRun: [passingRun], outcome: 'succeeded' });
    expect(check.verified).toBe(false);
    expect(check.reason).toMatch(/without evidence/);
  });

  it('fails the verdict when one of several claims is invented, and still verifies the true ones', () => {
    const check = checkEvidence({
      claimed: [
        { command: 'npm test', exitCode: 0, excerpt: 'Tests 3 passed (3)' },
        { command: 'npm run lint', exitCode: 0, excerpt: 'no problems' },
      ],
      commandsRun: [passingRun],
      outcome: 'succeeded',
    });
    expect(check.items.map((item) => item.verified)).toEqual([true, false]);
    expect(check.verified).toBe(false);
    expect(check.reason).toBe('unverified evidence: "npm run lint" was never run');
  });

  it('accepts a failed verdict without evidence, and a failed verdict whose failing command is quoted truly', () => {
    expect(checkEvidence({ claimed: [], commandsRun: [], outcome: 'failed' })).toEqual({ verified: true, items: [] });
    const check = checkEvidence({ claimed: [{ command: 'npm test', exitCode: 1, excerpt: 'expected 3 to be 4' }], commandsRun: [failingRun], outcome: 'failed' });
    expect(check.verified).toBe(true);
  });
});

describe('excerptAppearsIn', () => {
  it('ignores terminal colour codes and line breaks in either text', () => {
    expect(excerptAppearsIn('✓ src/math.test.ts (3 tests)', testOutput)).toBe(true);
    expect(excerptAppearsIn('Test Files  1 passed (1)\r\n      Tests  3 passed', testOutput)).toBe(true);
  });

  it('accepts parts separated by the usual elision marks only when they appear in that order', () => {
    expect(excerptAppearsIn('src/math.test.ts […] Duration 412ms', testOutput)).toBe(true);
    expect(excerptAppearsIn('src/math.test.ts [truncated 3 lines] Duration', testOutput)).toBe(true);
    expect(excerptAppearsIn('src/math.test.ts … Duration', testOutput)).toBe(true);
    expect(excerptAppearsIn('Duration … src/math.test.ts', testOutput)).toBe(false);
  });
});
