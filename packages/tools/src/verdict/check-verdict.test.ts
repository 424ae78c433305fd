import type { CommandRun } from '@coordinate/protocol';
import { describe, expect, it } from 'vitest';
import { checkVerdict } from './check-verdict.js';
import { excerptAppearsIn, quotesNothing } from './excerpt-match.js';
import { checksNothing } from './trivial-command.js';

const shownPass = ['exit code 0', '\u001b[32m✔\u001b[39m add sums two numbers (0.5ms)', '# tests 2', '# pass 2', '# fail 0', ''].join('\n');
const shownFail = ['exit code 1', '✖ add sums two numbers (0.9ms)', '# tests 2', '# pass 1', '# fail 1', ''].join('\n');
const pass: CommandRun = { command: 'npm test', exitCode: 0, excerpt: shownPass, tree: 'a'.repeat(40) };
const fail: CommandRun = { command: 'npm test', exitCode: 1, excerpt: shownFail, tree: 'a'.repeat(40) };
const required = ['npm test'];

describe('checkVerdict', () => {
  it('verifies an honest success that quotes the whole tool result it was shown, exit-code line and colour codes included', () => {
    const check = checkVerdict({ outcome: 'succeeded', claimed: [{ command: '$ npm  test', exitCode: 0, excerpt: shownPass }], commandsRun: [pass], required });
    expect(check).toMatchObject({ verified: true, weak: false, problems: [] });
    expect(check.required).toEqual([{ command: 'npm test', passed: true, lastRun: { exitCode: 0, excerpt: shownPass } }]);
  });

  it('verifies a partial quote and one with elisions whose parts appear in order', () => {
    for (const excerpt of ['# pass 2', 'exit code 0 … # fail 0', '✔ add sums two numbers [...] # tests 2']) {
      expect(checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'npm test', exitCode: 0, excerpt }], commandsRun: [pass], required }).verified).toBe(true);
    }
  });

  it('fails a success whose required command last exited 1, even when the claim quotes that run truly', () => {
    const check = checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'npm test', exitCode: 1, excerpt: '# fail 1' }], commandsRun: [fail], required });
    expect(check.verified).toBe(false);
    expect(check.problems).toContain('`npm test` last exited 1');
  });

  it('fails a claimed exit 0 for a run that exited 1, naming both', () => {
    const check = checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'npm test', exitCode: 0, excerpt: '# tests 2' }], commandsRun: [fail], required });
    expect(check.items[0]).toMatchObject({ verified: false, reason: '`npm test` is cited with exit code 0, but the run quoted exited 1' });
  });

  it('never lets a command that checks nothing stand in for a required one', () => {
    const check = checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'true', exitCode: 0, excerpt: 'exit code 0' }], commandsRun: [{ command: 'true', exitCode: 0, excerpt: 'exit code 0\n(no output)\n' }], required });
    expect(check.verified).toBe(false);
    expect(check.problems).toContain('`npm test` was required but never ran');
  });

  it('fails a weak success that cites only a command that checks nothing, and passes one that cites a real check', () => {
    const trueRun = { command: 'true', exitCode: 0, excerpt: 'exit code 0\n(no output)\n' };
    const lazy = checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'true', exitCode: 0, excerpt: 'exit code 0' }], commandsRun: [trueRun], required: [] });
    expect(lazy).toMatchObject({ verified: false, weak: true });
    const real = checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'npm test', exitCode: 0, excerpt: '# pass 2' }], commandsRun: [pass], required: [] });
    expect(real).toMatchObject({ verified: true, weak: true });
  });

  it('does not count an empty or ellipsis-only excerpt as evidence', () => {
    for (const excerpt of ['', '   ', '...', '… [...] …']) {
      const check = checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'npm test', exitCode: 0, excerpt }], commandsRun: [pass], required });
      expect(check.verified).toBe(false);
      expect(check.items[0]!.reason).toMatch(/quotes nothing/);
    }
  });

  it('fails a success resting on a run made before a later command changed the tree', () => {
    const edit: CommandRun = { command: "sed -i 's/a - b/a + b/' src/math.js", exitCode: 0, excerpt: 'exit code 0\n(no output)\n', tree: 'b'.repeat(40) };
    const check = checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'npm test', exitCode: 0, excerpt: '# pass 2' }], commandsRun: [pass, edit], required });
    expect(check.verified).toBe(false);
    expect(check.problems[0]).toMatch(/^`npm test` last ran before `sed -i .*` changed the tree: run it again$/);
    expect(checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'npm test', exitCode: 0, excerpt: '# pass 2' }], commandsRun: [edit, { ...pass, tree: edit.tree! }], required }).verified).toBe(true);
  });

  it('names each required command that never ran', () => {
    const check = checkVerdict({ outcome: 'succeeded', claimed: [{ command: 'npm test', exitCode: 0, excerpt: '# pass 2' }], commandsRun: [pass], required: ['npm test', 'npm run lint'] });
    expect(check.problems).toEqual(['`npm run lint` was required but never ran']);
  });

  it('lets a failed verdict stand without evidence, and still marks an invented claim unverified', () => {
    expect(checkVerdict({ outcome: 'failed', claimed: [], commandsRun: [], required }).verified).toBe(true);
    const check = checkVerdict({ outcome: 'failed', claimed: [{ command: 'npm test', exitCode: 1, excerpt: 'Tests 40 failed' }], commandsRun: [fail], required });
    expect(check.items[0]).toMatchObject({ verified: false, reason: 'the output quoted for `npm test` is not in what it printed' });
  });

  it('fails a success that cites no evidence, though the command passed', () => {
    expect(checkVerdict({ outcome: 'succeeded', claimed: [], commandsRun: [pass], required }).problems).toEqual(['the verdict cites no evidence: list each command it ran, its exit code and a quote of its output']);
  });
});

describe('quotes', () => {
  it('match the truncation note and stderr-only output as shown', () => {
    const truncated = 'exit code 0\nstart\n[… output truncated: 500 of 40500 bytes cut from the middle …]\nend # pass 9\n';
    expect(excerptAppearsIn('start\n[… output truncated: 500 of 40500 bytes cut from the middle …]\nend', truncated)).toBe(true);
    expect(excerptAppearsIn('Duration … start', truncated)).toBe(false);
    expect(quotesNothing(' … ')).toBe(true);
  });

  it('tell commands that check nothing from real checks', () => {
    expect(['true', ':', 'exit 0', 'echo all tests pass', 'true && echo ok'].every(checksNothing)).toBe(true);
    expect(['npm test', 'echo start; npm test', 'node --test'].some(checksNothing)).toBe(false);
  });
});
